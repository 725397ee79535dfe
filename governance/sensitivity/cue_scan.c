/* The cue pass of the sensitivity scan in native code: one walk over the lowered text that
 * finds where each keyword starts and the runs of nearby digits.
 *
 * Why native: it was a quarter of the scan's time (an Aho-Corasick automaton, then a Python
 * step per digit it reported), and under a gateway's load the scan ran at half its in-loop
 * speed. Here the tables are bitmaps: of the keywords' first two characters (2 KB) and of a hash
 * of their first three (512 bytes), so a position that starts no keyword costs a bit test or two.
 * The three-character test matters in prose: most letter pairs start some keyword (`re`, `se`,
 * `ca`), few triples do.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define MAX_WORDS 256
#define TRIPLE_BITS 4096
#define ROLE_DIGIT 1
#define ROLE_CUE 2

/* The hash of a keyword's first three (ASCII) characters, a bit of the triples bitmap. */
static inline unsigned
triple(unsigned c0, unsigned c1, unsigned c2)
{
    return (c0 * 1369u + c1 * 37u + c2) & (TRIPLE_BITS - 1);
}

typedef struct {
    PyObject_HEAD
    int ready;                        /* set by a whole __init__: a bare or half-built finder
                                         has no tables to walk with */
    Py_ssize_t run_gap;
    int count;
    PyObject *words[MAX_WORDS];       /* the keywords as str, the keys of the result */
    char *chars[MAX_WORDS];           /* their ASCII characters */
    Py_ssize_t lengths[MAX_WORDS];
    int single[128];                  /* the one-character keyword per character, or -1 */
    unsigned char role[128];          /* ROLE_DIGIT, ROLE_CUE (starts a keyword) or 0 */
    uint64_t pairs[128][2];           /* bit c1 of pairs[c0]: a keyword starts "c0 c1" */
    uint64_t triples[TRIPLE_BITS / 64]; /* bit triple(c0, c1, c2): a keyword of three or more
                                           characters may start "c0 c1 c2" */
    uint64_t two[128][2];             /* bit c1 of two[c0]: the keyword "c0 c1" */
    int first[129];                   /* keywords sorted by first character: first[c] starts c's */
    int order[MAX_WORDS];
} CueFinder;

static void
cue_finder_dealloc(CueFinder *self)
{
    for (int i = 0; i < self->count; i++) {
        Py_XDECREF(self->words[i]);
        PyMem_Free(self->chars[i]);
    }
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int
cue_finder_init(CueFinder *self, PyObject *args, PyObject *kwargs)
{
    static char *names[] = {"words", "run_gap", NULL};
    PyObject *words;
    Py_ssize_t run_gap;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!n", names, &PyTuple_Type, &words, &run_gap)) {
        return -1;
    }
    if (self->ready || self->count != 0) {
        PyErr_SetString(PyExc_RuntimeError, "CueFinder is initialised once");
        return -1;
    }
    Py_ssize_t count = PyTuple_GET_SIZE(words);
    if (count > MAX_WORDS) {
        PyErr_Format(PyExc_ValueError, "at most %d keywords", MAX_WORDS);
        return -1;
    }
    self->run_gap = run_gap;
    memset(self->pairs, 0, sizeof(self->pairs));
    memset(self->triples, 0, sizeof(self->triples));
    memset(self->two, 0, sizeof(self->two));
    for (int c = 0; c < 128; c++) {
        self->single[c] = -1;
        self->role[c] = c >= '0' && c <= '9' ? ROLE_DIGIT : 0;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        PyObject *word = PyTuple_GET_ITEM(words, i);
        if (!PyUnicode_Check(word) || !PyUnicode_IS_ASCII(word) || PyUnicode_GET_LENGTH(word) == 0) {
            PyErr_SetString(PyExc_ValueError, "keywords are non-empty ASCII strings");
            return -1;
        }
        Py_ssize_t length = PyUnicode_GET_LENGTH(word);
        const char *ascii = (const char *)PyUnicode_1BYTE_DATA(word);
        for (Py_ssize_t k = 0; k < length; k++) {
            if ((ascii[k] >= 'A' && ascii[k] <= 'Z') || (ascii[k] >= '0' && ascii[k] <= '9')) {
                PyErr_SetString(PyExc_ValueError, "keywords are lowercase and hold no digits");
                return -1;
            }
        }
        self->chars[i] = PyMem_Malloc(length);
        if (self->chars[i] == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        memcpy(self->chars[i], ascii, length);
        Py_INCREF(word);
        self->words[i] = word;
        self->lengths[i] = length;
        self->count = (int)i + 1;
        unsigned char c0 = (unsigned char)ascii[0];
        self->role[c0] = ROLE_CUE;
        if (length == 1) {
            self->single[c0] = (int)i;
        } else {
            unsigned char c1 = (unsigned char)ascii[1];
            self->pairs[c0][c1 >> 6] |= (uint64_t)1 << (c1 & 63);
            if (length == 2) {
                self->two[c0][c1 >> 6] |= (uint64_t)1 << (c1 & 63);
            } else {
                unsigned bit = triple(c0, c1, (unsigned char)ascii[2]);
                self->triples[bit >> 6] |= (uint64_t)1 << (bit & 63);
            }
        }
    }
    /* A counting sort of the keywords by first character. */
    int at = 0;
    for (int c = 0; c < 128; c++) {
        self->first[c] = at;
        for (int i = 0; i < self->count; i++) {
            if ((unsigned char)self->chars[i][0] == c && self->lengths[i] > 1) {
                self->order[at++] = i;
            }
        }
    }
    self->first[128] = at;
    self->ready = 1;
    return 0;
}

/* Appends `position` to a list of positions. */
static int
append_position(PyObject *positions, Py_ssize_t position)
{
    PyObject *value = PyLong_FromSsize_t(position);
    if (value == NULL) {
        return -1;
    }
    int failed = PyList_Append(positions, value);
    Py_DECREF(value);
    return failed;
}

/* Appends `position` to result[word], creating the list on the word's first match. */
static int
record(PyObject *at, PyObject *word, Py_ssize_t position)
{
    PyObject *positions = PyDict_GetItemWithError(at, word);
    if (positions == NULL) {
        if (PyErr_Occurred()) {
            return -1;
        }
        positions = PyList_New(0);
        if (positions == NULL || PyDict_SetItem(at, word, positions) < 0) {
            Py_XDECREF(positions);
            return -1;
        }
        Py_DECREF(positions);
    }
    return append_position(positions, position);
}

static int
append_run(PyObject *runs, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *run = Py_BuildValue("(nn)", start, end);
    if (run == NULL) {
        return -1;
    }
    int failed = PyList_Append(runs, run);
    Py_DECREF(run);
    return failed;
}

static inline int
is_lower_letter(Py_UCS4 c)
{
    return c >= 'a' && c <= 'z';
}

static inline int
is_lower_alnum(Py_UCS4 c)
{
    return is_lower_letter(c) || (c >= '0' && c <= '9');
}

/* The walk, once per string kind so that reading a character is a plain array access. Each
 * position costs a table read; only a character that starts some keyword reads the next two. */
#define DEFINE_WALK(NAME, CHAR)                                                               \
    static int NAME(CueFinder *self, const CHAR *text, Py_ssize_t length, PyObject *at,     \
                    PyObject *runs, PyObject *coded)                                        \
    {                                                                                       \
        Py_ssize_t gap = self->run_gap;                                                     \
        Py_ssize_t run_start = -gap - 1, run_end = -gap - 1;                                \
        for (Py_ssize_t i = 0; i < length; i++) {                                           \
            Py_UCS4 c0 = text[i];                                                           \
            if (c0 >= 128 || !self->role[c0]) {                                             \
                continue;                                                                   \
            }                                                                               \
            if (self->role[c0] == ROLE_DIGIT) {                                             \
                /* Two letters, then two digits, starting a token: where an IBAN may. */    \
                if (i >= 2 && is_lower_letter(text[i - 1]) && is_lower_letter(text[i - 2])   \
                    && i + 1 < length && text[i + 1] >= '0' && text[i + 1] <= '9'           \
                    && (i == 2 || !is_lower_alnum(text[i - 3]))                             \
                    && append_position(coded, i - 2) < 0) {                                 \
                    return -1;                                                              \
                }                                                                           \
                if (i - run_end < gap) {                                                    \
                    run_end = i + 1;                                                        \
                    continue;                                                               \
                }                                                                           \
                if (run_end > 0 && append_run(runs, run_start, run_end) < 0) {              \
                    return -1;                                                              \
                }                                                                           \
                run_start = i;                                                              \
                run_end = i + 1;                                                            \
                continue;                                                                   \
            }                                                                               \
            int single = self->single[c0];                                                  \
            if (single >= 0 && record(at, self->words[single], i) < 0) {                    \
                return -1;                                                                  \
            }                                                                               \
            Py_UCS4 c1 = i + 1 < length ? text[i + 1] : 128;                                \
            if (c1 >= 128 || !(self->pairs[c0][c1 >> 6] & ((uint64_t)1 << (c1 & 63)))) {    \
                continue;                                                                   \
            }                                                                               \
            Py_UCS4 c2 = i + 2 < length ? text[i + 2] : 128;                                \
            unsigned bit = c2 < 128 ? triple(c0, c1, c2) : 0;                               \
            if (!(self->two[c0][c1 >> 6] & ((uint64_t)1 << (c1 & 63)))                      \
                && (c2 >= 128 || !(self->triples[bit >> 6] & ((uint64_t)1 << (bit & 63))))) { \
                continue;                                                                   \
            }                                                                               \
            for (int k = self->first[c0]; k < self->first[c0 + 1]; k++) {                  \
                int w = self->order[k];                                                     \
                Py_ssize_t size = self->lengths[w];                                         \
                const char *word = self->chars[w];                                          \
                if ((unsigned char)word[1] != c1 || i + size > length) {                    \
                    continue;                                                               \
                }                                                                           \
                Py_ssize_t j = 2;                                                           \
                while (j < size && text[i + j] == (unsigned char)word[j]) {                 \
                    j++;                                                                    \
                }                                                                           \
                if (j == size && record(at, self->words[w], i) < 0) {                       \
                    return -1;                                                              \
                }                                                                           \
            }                                                                               \
        }                                                                                   \
        if (run_end > 0 && append_run(runs, run_start, run_end) < 0) {                      \
            return -1;                                                                      \
        }                                                                                   \
        return 0;                                                                           \
    }

DEFINE_WALK(walk_ucs1, Py_UCS1)
DEFINE_WALK(walk_ucs2, Py_UCS2)
DEFINE_WALK(walk_ucs4, Py_UCS4)

static PyObject *
cue_finder_call(CueFinder *self, PyObject *args, PyObject *kwargs)
{
    PyObject *text;
    if (!PyArg_ParseTuple(args, "U", &text)) {
        return NULL;
    }
    if (kwargs != NULL && PyDict_GET_SIZE(kwargs) != 0) {
        PyErr_SetString(PyExc_TypeError, "CueFinder takes no keyword arguments");
        return NULL;
    }
    if (!self->ready) {
        PyErr_SetString(PyExc_RuntimeError, "CueFinder was not initialised");
        return NULL;
    }
    PyObject *at = PyDict_New();
    PyObject *runs = PyList_New(0);
    PyObject *coded = PyList_New(0);
    if (at == NULL || runs == NULL || coded == NULL) {
        goto fail;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int failed;
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        failed = walk_ucs1(self, PyUnicode_1BYTE_DATA(text), length, at, runs, coded);
        break;
    case PyUnicode_2BYTE_KIND:
        failed = walk_ucs2(self, PyUnicode_2BYTE_DATA(text), length, at, runs, coded);
        break;
    default:
        failed = walk_ucs4(self, PyUnicode_4BYTE_DATA(text), length, at, runs, coded);
        break;
    }
    if (failed < 0) {
        goto fail;
    }
    PyObject *result = PyTuple_Pack(3, at, runs, coded);
    Py_DECREF(at);
    Py_DECREF(runs);
    Py_DECREF(coded);
    return result;
fail:
    Py_XDECREF(at);
    Py_XDECREF(runs);
    Py_XDECREF(coded);
    return NULL;
}

static PyTypeObject CueFinderType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "governance.sensitivity.cue_scan.CueFinder",
    .tp_doc = PyDoc_STR(
        "CueFinder(words, run_gap): called with a lowered text, returns ({word: [start, ...]}, "
        "[(run_start, run_end), ...], [start, ...]): where each keyword starts, the runs of "
        "ASCII digits at most run_gap - 1 characters apart, and where two ASCII letters, then "
        "two digits, start a token (no letter or digit before them)."),
    .tp_basicsize = sizeof(CueFinder),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)cue_finder_init,
    .tp_dealloc = (destructor)cue_finder_dealloc,
    .tp_call = (ternaryfunc)cue_finder_call,
};

static struct PyModuleDef cue_scan_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "governance.sensitivity.cue_scan",
    .m_doc = PyDoc_STR("The sensitivity scan's cue pass, in native code."),
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit_cue_scan(void)
{
    if (PyType_Ready(&CueFinderType) < 0) {
        return NULL;
    }
    PyObject *module = PyModule_Create(&cue_scan_module);
    if (module == NULL) {
        return NULL;
    }
    Py_INCREF(&CueFinderType);
    if (PyModule_AddObject(module, "CueFinder", (PyObject *)&CueFinderType) < 0) {
        Py_DECREF(&CueFinderType);
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
