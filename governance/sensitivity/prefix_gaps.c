/* Where a vendor key's prefix is written with gaps in it ("sk- proj-...", "AK IA...",
 * "gh p_..."), in native code: the normalisation removes those gaps so that the key's detector
 * sees the prefix whole.
 *
 * Why native: the search runs on every scanned text, and its candidates start at common
 * letters (s, e, g, r, x, A); a Python pattern that can start at any of them costs about
 * 50 µs per 2 KB of prose, this walk about 1.
 *
 * What counts (tests/unit/governance/sensitivity/test_prefix_gaps.py holds a Python pattern to the same rule):
 *   a word, case-sensitive, where no key character [A-Za-z0-9_-] comes before it;
 *   between two of its characters, and after its last one, a gap of one or two whitespace
 *   characters (space, tab, CR, LF) may stand; at least one gap is there;
 *   then a body of at least `min_body` key characters holding a letter and a digit.
 * The result is the gaps, as (start, end). Words are tried in the order given; the first that
 * fits wins and the walk goes on after its body.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

#define MAX_GAPS 64

static inline int
is_key_char(Py_UCS4 c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

static inline int
is_gap_char(Py_UCS4 c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t length;
} Text;

static inline Py_UCS4
at(const Text *t, Py_ssize_t i)
{
    return PyUnicode_READ(t->kind, t->data, i);
}

/* The length of the gap at i: 0, 1 or 2 whitespace characters. */
static Py_ssize_t
gap_at(const Text *t, Py_ssize_t i)
{
    Py_ssize_t g = 0;
    while (g < 2 && i + g < t->length && is_gap_char(at(t, i + g))) {
        g++;
    }
    return g;
}

/* The end of a body of key characters at i that fits, or -1. */
static Py_ssize_t
body_end(const Text *t, Py_ssize_t i, Py_ssize_t min_body)
{
    int letter = 0, digit = 0;
    Py_ssize_t p = i;
    while (p < t->length && is_key_char(at(t, p))) {
        Py_UCS4 c = at(t, p);
        digit |= c >= '0' && c <= '9';
        letter |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        p++;
    }
    return p - i >= min_body && letter && digit ? p : -1;
}

/* Matches `word` at i with gaps; fills gaps[] (pairs) and returns the end of the body, or -1. */
static Py_ssize_t
match_word(const Text *t, Py_ssize_t i, const char *word, Py_ssize_t size, Py_ssize_t min_body,
           Py_ssize_t *gaps, int *count)
{
    Py_ssize_t p = i;
    int n = 0;
    for (Py_ssize_t j = 0; j < size; j++) {
        if (j > 0) {
            Py_ssize_t g = gap_at(t, p);
            if (g > 0 && p + g < t->length && at(t, p + g) == (unsigned char)word[j]) {
                if (n == MAX_GAPS) {
                    return -1;
                }
                gaps[2 * n] = p;
                gaps[2 * n + 1] = p + g;
                n++;
                p += g;
            }
        }
        if (p >= t->length || at(t, p) != (unsigned char)word[j]) {
            return -1;
        }
        p++;
    }
    Py_ssize_t end = body_end(t, p, min_body);
    Py_ssize_t g = gap_at(t, p);
    if (end < 0 && g > 0 && n < MAX_GAPS && (end = body_end(t, p + g, min_body)) >= 0) {
        gaps[2 * n] = p;
        gaps[2 * n + 1] = p + g;
        n++;
    }
    *count = n;
    return n > 0 ? end : -1;
}

static int
append_gaps(PyObject *result, const Py_ssize_t *gaps, int count)
{
    for (int k = 0; k < count; k++) {
        PyObject *gap = Py_BuildValue("(nn)", gaps[2 * k], gaps[2 * k + 1]);
        if (gap == NULL) {
            return -1;
        }
        int failed = PyList_Append(result, gap);
        Py_DECREF(gap);
        if (failed < 0) {
            return -1;
        }
    }
    return 0;
}

#define MAX_WORDS 64
#define MAX_PER_CHAR 16

/* The words, indexed by their first character. */
typedef struct {
    const char *chars[MAX_WORDS];
    Py_ssize_t sizes[MAX_WORDS];
    int count[128];
    int index[128][MAX_PER_CHAR];
    unsigned char seconds[128][128]; /* some word starts "c0 c1" */
    unsigned char role[256];         /* KEY_CHAR and FIRST_CHAR bits per character */
} Words;

#define KEY_CHAR 1
#define FIRST_CHAR 2

static int
read_words(PyObject *tuple, Words *words)
{
    Py_ssize_t total = PyTuple_GET_SIZE(tuple);
    if (total > MAX_WORDS) {
        PyErr_Format(PyExc_ValueError, "at most %d words", MAX_WORDS);
        return -1;
    }
    memset(words, 0, sizeof(*words));
    for (int c = 0; c < 128; c++) {
        words->role[c] = is_key_char((Py_UCS4)c) ? KEY_CHAR : 0;
    }
    for (Py_ssize_t w = 0; w < total; w++) {
        PyObject *word = PyTuple_GET_ITEM(tuple, w);
        if (!PyUnicode_Check(word) || !PyUnicode_IS_ASCII(word) || PyUnicode_GET_LENGTH(word) < 2) {
            PyErr_SetString(PyExc_ValueError, "words are ASCII strings of two characters or more");
            return -1;
        }
        const char *chars = (const char *)PyUnicode_1BYTE_DATA(word);
        unsigned char c0 = (unsigned char)chars[0];
        if (words->count[c0] == MAX_PER_CHAR) {
            PyErr_Format(PyExc_ValueError, "at most %d words per first character", MAX_PER_CHAR);
            return -1;
        }
        words->chars[w] = chars;
        words->sizes[w] = PyUnicode_GET_LENGTH(word);
        words->index[c0][words->count[c0]++] = (int)w;
        words->seconds[c0][(unsigned char)chars[1]] = 1;
        words->role[c0] |= FIRST_CHAR;
    }
    return 0;
}

/* The tables of the last words tuple seen: the caller passes the same constant every time, so
 * they are built once (the tuple is kept alive, so its identity cannot be reused). */
static PyObject *cached_tuple = NULL;
static Words cached_words;

static const Words *
words_of(PyObject *tuple)
{
    if (tuple == cached_tuple) {
        return &cached_words;
    }
    Py_CLEAR(cached_tuple);
    if (read_words(tuple, &cached_words) < 0) {
        return NULL;
    }
    Py_INCREF(tuple);
    cached_tuple = tuple;
    return &cached_words;
}

/* The words tried at i: the first that fits gives the body's end, and its gaps; else -1. */
static Py_ssize_t
match_at(const Text *t, Py_ssize_t i, const Words *words, Py_ssize_t min_body, Py_ssize_t *gaps,
         int *count)
{
    Py_UCS4 c = at(t, i);
    for (int k = 0; k < words->count[c]; k++) {
        int w = words->index[c][k];
        Py_ssize_t end = match_word(t, i, words->chars[w], words->sizes[w], min_body, gaps, count);
        if (end >= 0) {
            return end;
        }
    }
    return -1;
}

/* The walk to the candidates, once per string kind so that reading a character is a plain
 * array access: a word's first character where no key character comes before it. */
#define DEFINE_WALK(NAME, CHAR)                                                               \
    static int NAME(const Text *t, const Words *words, Py_ssize_t min_body, PyObject *result) \
    {                                                                                       \
        const CHAR *text = (const CHAR *)t->data;                                           \
        Py_ssize_t length = t->length;                                                      \
        Py_ssize_t gaps[2 * MAX_GAPS];                                                      \
        unsigned char before = 0; /* the role of the character before i */                  \
        for (Py_ssize_t i = 0; i < length; i++) {                                           \
            unsigned char role = text[i] < 256 ? words->role[text[i]] : 0;                  \
            if (!(role & FIRST_CHAR) || (before & KEY_CHAR)) {                              \
                before = role;                                                              \
                continue;                                                                   \
            }                                                                               \
            before = role;                                                                  \
            /* The usual case in prose: "su", "ex", "go" start no word, with a gap or not. */ \
            CHAR next = i + 1 < length ? text[i + 1] : 0;                                  \
            if (next >= 128 || !(is_gap_char(next) || words->seconds[text[i]][next])) {     \
                continue;                                                                   \
            }                                                                               \
            int count = 0;                                                                  \
            Py_ssize_t end = match_at(t, i, words, min_body, gaps, &count);                 \
            if (end < 0) {                                                                  \
                continue;                                                                   \
            }                                                                               \
            if (append_gaps(result, gaps, count) < 0) {                                     \
                return -1;                                                                  \
            }                                                                               \
            i = end - 1; /* the body ends with a key character: `before` holds */           \
        }                                                                                   \
        return 0;                                                                           \
    }

DEFINE_WALK(walk_ucs1, Py_UCS1)
DEFINE_WALK(walk_ucs2, Py_UCS2)
DEFINE_WALK(walk_ucs4, Py_UCS4)

static PyObject *
find_prefix_gaps(PyObject *module, PyObject *args)
{
    (void)module;
    PyObject *text, *tuple;
    Py_ssize_t min_body;
    if (!PyArg_ParseTuple(args, "UO!n", &text, &PyTuple_Type, &tuple, &min_body)) {
        return NULL;
    }
    const Words *words = words_of(tuple);
    if (words == NULL) {
        return NULL;
    }
    PyObject *result = PyList_New(0);
    if (result == NULL) {
        return NULL;
    }
    Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text), PyUnicode_GET_LENGTH(text)};
    int failed;
    switch (t.kind) {
    case PyUnicode_1BYTE_KIND:
        failed = walk_ucs1(&t, words, min_body, result);
        break;
    case PyUnicode_2BYTE_KIND:
        failed = walk_ucs2(&t, words, min_body, result);
        break;
    default:
        failed = walk_ucs4(&t, words, min_body, result);
        break;
    }
    if (failed < 0) {
        Py_DECREF(result);
        return NULL;
    }
    return result;
}

static PyMethodDef prefix_gaps_methods[] = {
    {"find_prefix_gaps", find_prefix_gaps, METH_VARARGS,
     PyDoc_STR("find_prefix_gaps(text, words, min_body): the gaps (start, end) inside or right "
               "after each word of `words` written with gaps, before a key's body.")},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef prefix_gaps_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "governance.sensitivity.prefix_gaps",
    .m_doc = PyDoc_STR("Vendor key prefixes written with gaps, found in native code."),
    .m_size = -1,
    .m_methods = prefix_gaps_methods,
};

PyMODINIT_FUNC
PyInit_prefix_gaps(void)
{
    return PyModule_Create(&prefix_gaps_module);
}
