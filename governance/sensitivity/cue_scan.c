/* The cue pass of the sensitivity scan in native code: one walk over the lowered text that
 * finds where each keyword starts and the runs of nearby digits.
 *
 * Why native: it was a quarter of the scan's time (an Aho-Corasick automaton, then a Python
 * step per digit it reported), and under a gateway's load the scan ran at half its in-loop
 * speed. Here the tables are bitmaps: of the keywords' first two characters (2 KB) and of a hash
 * of their first three (512 bytes), so a position that starts no keyword costs a bit test or two.
 * The three-character test matters in prose: most letter pairs start some keyword (`re`, `se`,
 * `ca`), few triples do.
 *
 * Given the text before lowering as well, the same walk finds where a vendor key's prefix is
 * written with gaps in it ("sk- proj-...", "AK IA...", "gh p_..."), which the normalisation
 * removes so that the key's detector sees the prefix whole; a prefix starts with a letter, so
 * only a position that starts some keyword or prefix is tried (one walk, not two).
 * What counts (tests/unit/governance/sensitivity/test_prefix_gaps.py holds a Python pattern to
 * the same rule):
 *   a prefix, case-sensitive, where no key character [A-Za-z0-9_-] comes before it;
 *   between two of its characters, and after its last one, a gap of one or two whitespace
 *   characters (space, tab, CR, LF) may stand; at least one gap is there;
 *   then a body of at least `min_body` key characters holding a letter and a digit.
 * The gaps are returned as (start, end). Prefixes are tried in the order given; the first that
 * fits wins and the search goes on after its body.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define MAX_WORDS 256
#define TRIPLE_BITS 4096
#define ROLE_DIGIT 1
#define ROLE_CUE 2
#define ROLE_PREFIX 4

/* The hash of a keyword's first three (ASCII) characters, a bit of the triples bitmap. */
static inline unsigned
triple(unsigned c0, unsigned c1, unsigned c2)
{
    return (c0 * 1369u + c1 * 37u + c2) & (TRIPLE_BITS - 1);
}

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

/* The tuple (a, b): Py_BuildValue would parse its format each time, a third of a short
 * text's walk. */
static PyObject *
pair_of(Py_ssize_t a, Py_ssize_t b)
{
    PyObject *first = PyLong_FromSsize_t(a);
    PyObject *second = first == NULL ? NULL : PyLong_FromSsize_t(b);
    if (second == NULL) {
        Py_XDECREF(first);
        return NULL;
    }
    PyObject *pair = PyTuple_Pack(2, first, second);
    Py_DECREF(first);
    Py_DECREF(second);
    return pair;
}

static int
append_gaps(PyObject *result, const Py_ssize_t *gaps, int count)
{
    for (int k = 0; k < count; k++) {
        PyObject *gap = pair_of(gaps[2 * k], gaps[2 * k + 1]);
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

#define MAX_PREFIXES 64
#define MAX_PER_CHAR 16

/* The prefixes, indexed by their first character. */
typedef struct {
    const char *chars[MAX_PREFIXES];
    Py_ssize_t sizes[MAX_PREFIXES];
    int count[128];
    int index[128][MAX_PER_CHAR];
    unsigned char seconds[128][128]; /* some word starts "c0 c1" */
    unsigned char role[256];         /* KEY_CHAR and FIRST_CHAR bits per character */
} Prefixes;

#define KEY_CHAR 1
#define FIRST_CHAR 2

static int
read_words(PyObject *tuple, Prefixes *words)
{
    Py_ssize_t total = PyTuple_GET_SIZE(tuple);
    if (total > MAX_PREFIXES) {
        PyErr_Format(PyExc_ValueError, "at most %d prefixes", MAX_PREFIXES);
        return -1;
    }
    memset(words, 0, sizeof(*words));
    for (int c = 0; c < 128; c++) {
        words->role[c] = is_key_char((Py_UCS4)c) ? KEY_CHAR : 0;
    }
    for (Py_ssize_t w = 0; w < total; w++) {
        PyObject *word = PyTuple_GET_ITEM(tuple, w);
        if (!PyUnicode_Check(word) || !PyUnicode_IS_ASCII(word) || PyUnicode_GET_LENGTH(word) < 2
            || !Py_ISALPHA(PyUnicode_1BYTE_DATA(word)[0])) {
            PyErr_SetString(PyExc_ValueError, "prefixes are ASCII strings of two characters or more, starting with a letter");
            return -1;
        }
        const char *chars = (const char *)PyUnicode_1BYTE_DATA(word);
        unsigned char c0 = (unsigned char)chars[0];
        if (words->count[c0] == MAX_PER_CHAR) {
            PyErr_Format(PyExc_ValueError, "at most %d prefixes per first character", MAX_PER_CHAR);
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

/* The prefixes tried at i: the first that fits gives the body's end, and its gaps; else -1. */
static Py_ssize_t
match_at(const Text *t, Py_ssize_t i, const Prefixes *words, Py_ssize_t min_body, Py_ssize_t *gaps,
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
    unsigned char role[128];          /* ROLE_DIGIT, or ROLE_CUE (starts a keyword) and
                                         ROLE_PREFIX (starts a prefix, lowered), or 0 */
    uint64_t pairs[128][2];           /* bit c1 of pairs[c0]: a keyword starts "c0 c1" */
    uint64_t triples[TRIPLE_BITS / 64]; /* bit triple(c0, c1, c2): a keyword of three or more
                                           characters may start "c0 c1 c2" */
    uint64_t two[128][2];             /* bit c1 of two[c0]: the keyword "c0 c1" */
    uint16_t pair_start[128 * 128 + 1]; /* keywords sorted by their first two characters:
                                           those starting "c0 c1" are order[pair_start[c0 * 128
                                           + c1]] up to the next pair's start */
    int order[MAX_WORDS];
    Prefixes prefixes;                /* the key prefixes whose gaps are found, if any */
    PyObject *prefix_tuple;           /* kept alive: `prefixes` points into its strings */
    unsigned char lowered_seconds[128][128]; /* some prefix starts "c0 c1", both lowered */
    unsigned char ends_no_prefix[128]; /* a key character other than `k`: none starts after it */
    Py_ssize_t min_body;
    unsigned char step[128][128];     /* whether the walk has work at a character c0 followed by
                                         c1 (0 for c1 past ASCII or the text's end): a digit, a
                                         one-character keyword, a keyword's first two, a prefix's
                                         first character before a gap or its second. In prose
                                         three characters in four have none: one table read
                                         passes them. */
} CueFinder;

static void
cue_finder_dealloc(CueFinder *self)
{
    for (int i = 0; i < self->count; i++) {
        Py_XDECREF(self->words[i]);
        PyMem_Free(self->chars[i]);
    }
    Py_XDECREF(self->prefix_tuple);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int
cue_finder_init(CueFinder *self, PyObject *args, PyObject *kwargs)
{
    static char *names[] = {"words", "run_gap", "prefixes", "min_body", NULL};
    PyObject *words, *prefixes = NULL;
    Py_ssize_t run_gap, min_body = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "O!n|O!n", names, &PyTuple_Type, &words,
                                     &run_gap, &PyTuple_Type, &prefixes, &min_body)) {
        return -1;
    }
    if (self->ready || self->count != 0 || self->prefix_tuple != NULL) {
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
        self->role[c0] |= ROLE_CUE;
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
    /* A counting sort of the keywords by their first two characters (stable: the order given
     * within a pair). */
    memset(self->pair_start, 0, sizeof(self->pair_start));
    for (int i = 0; i < self->count; i++) {
        if (self->lengths[i] > 1) {
            self->pair_start[(unsigned char)self->chars[i][0] * 128 + (unsigned char)self->chars[i][1]]++;
        }
    }
    int at = 0;
    for (int pair = 0; pair < 128 * 128; pair++) {
        int words_here = self->pair_start[pair];
        self->pair_start[pair] = (uint16_t)at;
        at += words_here;
    }
    for (int i = 0; i < self->count; i++) {
        if (self->lengths[i] < 2) {
            continue;
        }
        int pair = (unsigned char)self->chars[i][0] * 128 + (unsigned char)self->chars[i][1];
        int before = 0; /* words of the same pair given earlier */
        for (int j = 0; j < i; j++) {
            before += self->lengths[j] > 1
                      && (unsigned char)self->chars[j][0] * 128 + (unsigned char)self->chars[j][1] == pair;
        }
        self->order[self->pair_start[pair] + before] = i;
    }
    self->pair_start[128 * 128] = (uint16_t)at;
    if (prefixes != NULL) {
        if (read_words(prefixes, &self->prefixes) < 0) {
            return -1;
        }
        Py_INCREF(prefixes);
        self->prefix_tuple = prefixes;
        for (int c = 'A'; c <= 'z'; c++) {
            if (self->prefixes.role[c] & FIRST_CHAR) {
                self->role[Py_TOLOWER(c)] |= ROLE_PREFIX;
            }
            for (int next = 0; next < 128; next++) {
                if (self->prefixes.seconds[c][next]) {
                    self->lowered_seconds[Py_TOLOWER(c)][Py_TOLOWER(next)] = 1;
                }
            }
        }
    }
    for (int c = 0; c < 128; c++) {
        self->ends_no_prefix[c] = is_key_char((Py_UCS4)c) && c != 'k';
    }
    self->min_body = min_body;
    for (int c0 = 0; c0 < 128; c0++) {
        for (int c1 = 0; c1 < 128; c1++) {
            int pair = (self->pairs[c0][c1 >> 6] >> (c1 & 63)) & 1;
            int prefix = (self->role[c0] & ROLE_PREFIX)
                         && (is_gap_char((Py_UCS4)c1) || self->lowered_seconds[c0][c1]);
            self->step[c0][c1] = self->role[c0] == ROLE_DIGIT || self->single[c0] >= 0 || pair
                                 || prefix;
        }
    }
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
    PyObject *run = pair_of(start, end);
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

/* A prefix with gaps starting at i of the text before lowering: the end of the key's body,
 * with its gaps in found[], or -1. Tried where no key character comes before; in prose most
 * candidates ("su", "ex", "go") stop at the second character. */
static Py_ssize_t
prefix_at(const CueFinder *self, const Text *t, Py_ssize_t i, Py_ssize_t *found, int *count)
{
    const Prefixes *prefixes = &self->prefixes;
    Py_UCS4 c = at(t, i);
    if (c >= 128 || !(prefixes->role[c] & FIRST_CHAR)) {
        return -1;
    }
    if (i > 0) {
        Py_UCS4 before = at(t, i - 1);
        if (before < 128 && (prefixes->role[before] & KEY_CHAR)) {
            return -1;
        }
    }
    Py_UCS4 next = i + 1 < t->length ? at(t, i + 1) : 0;
    if (next >= 128 || !(is_gap_char(next) || prefixes->seconds[c][next])) {
        return -1;
    }
    return match_at(t, i, prefixes, self->min_body, found, count);
}

/* The gaps of a prefix starting at i, appended, and where the search resumes: after the key's
 * body. Out of the walk's loop, which it would otherwise crowd. */
static __attribute__((noinline)) int
add_prefix_gaps(const CueFinder *self, const Text *original, Py_ssize_t i, PyObject *gaps,
                Py_ssize_t *resume)
{
    Py_ssize_t found[2 * MAX_GAPS];
    int count = 0;
    Py_ssize_t end = prefix_at(self, original, i, found, &count);
    if (end < 0) {
        return 0;
    }
    *resume = end;
    return append_gaps(gaps, found, count);
}

/* Whether a prefix may start at a lowered character c0, read on the lowered text: the
 * character before (if any) is no key character, the one after is a gap or a prefix's second
 * character. A superset of prefix_at's test, to skip most letters without reading the text
 * before lowering: an ASCII letter, digit, `_` or `-` lowers to itself or its lower case, and
 * the one character that lowers to an ASCII key character on its own is the Kelvin sign
 * (to `k`), which the text before lowering decides. */
static inline int
may_start_prefix(const CueFinder *self, Py_UCS4 before, int has_before, Py_UCS4 next, Py_UCS4 c0)
{
    if (has_before && before < 128 && self->ends_no_prefix[before]) {
        return 0;
    }
    return next < 128 && (is_gap_char(next) || self->lowered_seconds[c0][next]);
}

/* The walk, once per string kind so that reading a character is a plain array access. Each
 * position costs a table read; only a character that starts some keyword reads the next two. */
#define DEFINE_WALK(NAME, CHAR)                                                               \
    static int NAME(CueFinder *self, const CHAR *text, Py_ssize_t length, PyObject *at,     \
                    PyObject *runs, PyObject *coded, const Text *original, PyObject *gaps)  \
    {                                                                                       \
        Py_ssize_t gap = self->run_gap;                                                     \
        Py_ssize_t resume = 0; /* a prefix is looked for only after the last key's body */  \
        Py_ssize_t run_start = -gap - 1, run_end = -gap - 1;                                \
        for (Py_ssize_t i = 0; i < length; i++) {                                           \
            Py_UCS4 c0 = text[i];                                                           \
            if (c0 >= 128) {                                                                \
                continue;                                                                   \
            }                                                                               \
            Py_UCS4 next = i + 1 < length ? text[i + 1] : 0;                                \
            if (!self->step[c0][next < 128 ? next : 0]) {                                   \
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
            if ((self->role[c0] & ROLE_PREFIX) && original != NULL && i >= resume           \
                && may_start_prefix(self, text[i - (i > 0)], i > 0,                          \
                                    i + 1 < length ? text[i + 1] : 128, c0)                 \
                && add_prefix_gaps(self, original, i, gaps, &resume) < 0) {                 \
                return -1;                                                                  \
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
            unsigned pair = c0 * 128 + c1;                                                  \
            for (int k = self->pair_start[pair]; k < self->pair_start[pair + 1]; k++) {     \
                int w = self->order[k];                                                     \
                Py_ssize_t size = self->lengths[w];                                         \
                const char *word = self->chars[w];                                          \
                if (i + size > length) {                                                    \
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
    PyObject *text, *before_lowering = NULL;
    if (!PyArg_ParseTuple(args, "U|U", &text, &before_lowering)) {
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
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    Text original_text, *original = NULL;
    if (before_lowering != NULL) {
        if (PyUnicode_GET_LENGTH(before_lowering) != length) {
            PyErr_SetString(PyExc_ValueError, "the text before lowering has another length");
            return NULL;
        }
        original_text.kind = PyUnicode_KIND(before_lowering);
        original_text.data = PyUnicode_DATA(before_lowering);
        original_text.length = length;
        original = &original_text;
    }
    PyObject *at = PyDict_New();
    PyObject *runs = PyList_New(0);
    PyObject *coded = PyList_New(0);
    PyObject *gaps = PyList_New(0);
    if (at == NULL || runs == NULL || coded == NULL || gaps == NULL) {
        goto fail;
    }
    int failed;
    switch (PyUnicode_KIND(text)) {
    case PyUnicode_1BYTE_KIND:
        failed = walk_ucs1(self, PyUnicode_1BYTE_DATA(text), length, at, runs, coded, original, gaps);
        break;
    case PyUnicode_2BYTE_KIND:
        failed = walk_ucs2(self, PyUnicode_2BYTE_DATA(text), length, at, runs, coded, original, gaps);
        break;
    default:
        failed = walk_ucs4(self, PyUnicode_4BYTE_DATA(text), length, at, runs, coded, original, gaps);
        break;
    }
    if (failed < 0) {
        goto fail;
    }
    PyObject *result = PyTuple_Pack(4, at, runs, coded, gaps);
    Py_DECREF(at);
    Py_DECREF(runs);
    Py_DECREF(coded);
    Py_DECREF(gaps);
    return result;
fail:
    Py_XDECREF(at);
    Py_XDECREF(runs);
    Py_XDECREF(coded);
    Py_XDECREF(gaps);
    return NULL;
}

static PyTypeObject CueFinderType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "governance.sensitivity.cue_scan.CueFinder",
    .tp_doc = PyDoc_STR(
        "CueFinder(words, run_gap, prefixes=(), min_body=0): called with a lowered text, and "
        "optionally the text before lowering, returns ({word: [start, ...]}, "
        "[(run_start, run_end), ...], [start, ...], [(gap_start, gap_end), ...]): where each "
        "keyword starts, the runs of ASCII digits at most run_gap - 1 characters apart, where "
        "two ASCII letters, then two digits, start a token (no letter or digit before them), "
        "and the gaps inside or right after each prefix written with gaps before a key's body "
        "(only given the text before lowering)."),
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
