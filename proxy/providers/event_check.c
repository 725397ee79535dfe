/* Whether a client can read a streamed event the gateway passes through, without building it.
 *
 * Why: an upstream event that is not JSON, or not UTF-8, made the client's SDK fail inside its
 * decoder (JSONDecodeError, UnicodeDecodeError) while the gateway recorded the stream as
 * completed and cached it. Every event of every passed-through stream is now checked; orjson's
 * parse did it at about 6.5 K instructions an event (the cost is building the objects, which
 * nobody uses), this walk at a small fraction of that.
 *
 * The walk only ever says yes when Python's json (what the SDKs parse with) would read the data
 * as the same kind of value; whatever it is unsure of (an escaped top-level key, nesting deeper
 * than MAX_DEPTH, an event of several lines) goes to the exact path in Python. It is stricter
 * than Python's json in places (no NaN or Infinity), and there too the exact path decides.
 * It never reads past the end of the buffer, whatever the buffer holds.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* What kind(event) answers; the values are mirrored in event_check.pyi. */
enum {
    CHUNK = 0,       /* `data: ` + a JSON object with no top-level "error", on one line */
    ERROR_CHUNK = 1, /* the same with a top-level "error": the upstream failed mid-stream */
    END = 2,         /* `data: [DONE]` */
    ASK_PYTHON = 3,  /* anything else: not readable, or not for this walk to decide */
};

#define MAX_DEPTH 64

typedef struct {
    const unsigned char *s;
    Py_ssize_t n;
    Py_ssize_t i;
    int error_key;   /* the top-level object has a key spelled "error" */
    int unsure;      /* a reason to leave the answer to Python */
} Reader;

static int value(Reader *r, int depth);

static inline void
skip_space(Reader *r)
{
    if (r->i < r->n && r->s[r->i] > ' ') return; /* the usual case: compact JSON */
    while (r->i < r->n) {
        unsigned char c = r->s[r->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
        r->i++;
    }
}

/* Length of the well-formed UTF-8 sequence at s (Unicode's table 3-7: no overlong forms, no
 * surrogates, nothing past U+10FFFF), or 0. */
static Py_ssize_t
utf8_length(const unsigned char *s, Py_ssize_t n)
{
    unsigned char c = s[0];
    unsigned char low = 0x80, high = 0xBF;
    Py_ssize_t length;
    if (c >= 0xC2 && c <= 0xDF) length = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        length = 3;
        if (c == 0xE0) low = 0xA0;
        if (c == 0xED) high = 0x9F;
    }
    else if (c >= 0xF0 && c <= 0xF4) {
        length = 4;
        if (c == 0xF0) low = 0x90;
        if (c == 0xF4) high = 0x8F;
    }
    else return 0;
    if (n < length || s[1] < low || s[1] > high) return 0;
    for (Py_ssize_t k = 2; k < length; k++) {
        if (s[k] < 0x80 || s[k] > 0xBF) return 0;
    }
    return length;
}

static int
is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Bytes that stand for themselves in a string: printable ASCII but the quote and backslash. */
static unsigned char plain[256];

static void
fill_plain(void)
{
    for (int c = 0x20; c < 0x80; c++) plain[c] = c != '"' && c != '\\';
}

/* At the opening quote; after it, the closing quote. *escaped says whether it held escapes. */
static int
string(Reader *r, int *escaped)
{
    r->i++;
    while (r->i < r->n) {
        while (r->i < r->n && plain[r->s[r->i]]) r->i++;
        if (r->i >= r->n) return -1;
        unsigned char c = r->s[r->i];
        if (c == '"') {
            r->i++;
            return 0;
        }
        if (c == '\\') {
            *escaped = 1;
            if (r->i + 1 >= r->n) return -1;
            unsigned char e = r->s[r->i + 1];
            if (e == 'u') {
                if (r->i + 5 >= r->n) return -1;
                for (int k = 2; k < 6; k++) {
                    if (!is_hex(r->s[r->i + k])) return -1;
                }
                r->i += 6;
            }
            else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n'
                     || e == 'r' || e == 't') {
                r->i += 2;
            }
            else return -1;
        }
        else if (c < 0x80) return -1; /* a control character: it must be escaped */
        else {
            Py_ssize_t length = utf8_length(r->s + r->i, r->n - r->i);
            if (length == 0) return -1;
            r->i += length;
        }
    }
    return -1;
}

static int
digits(Reader *r)
{
    Py_ssize_t start = r->i;
    while (r->i < r->n && r->s[r->i] >= '0' && r->s[r->i] <= '9') r->i++;
    return r->i > start ? 0 : -1;
}

static int
number(Reader *r)
{
    if (r->s[r->i] == '-') r->i++;
    if (r->i >= r->n) return -1;
    if (r->s[r->i] == '0') r->i++;
    else if (digits(r) < 0) return -1;
    if (r->i < r->n && r->s[r->i] == '.') {
        r->i++;
        if (digits(r) < 0) return -1;
    }
    if (r->i < r->n && (r->s[r->i] == 'e' || r->s[r->i] == 'E')) {
        r->i++;
        if (r->i < r->n && (r->s[r->i] == '+' || r->s[r->i] == '-')) r->i++;
        if (digits(r) < 0) return -1;
    }
    return 0;
}

static int
literal(Reader *r, const char *word, Py_ssize_t length)
{
    if (r->n - r->i < length || memcmp(r->s + r->i, word, (size_t)length) != 0) return -1;
    r->i += length;
    return 0;
}

/* At '{' or '['. `depth` counts the containers open, this one included. */
static int
container(Reader *r, int depth)
{
    int object = r->s[r->i] == '{';
    unsigned char close = object ? '}' : ']';
    if (depth > MAX_DEPTH) {
        r->unsure = 1;
        return -1;
    }
    r->i++;
    skip_space(r);
    if (r->i < r->n && r->s[r->i] == close) {
        r->i++;
        return 0;
    }
    for (;;) {
        if (object) {
            skip_space(r);
            if (r->i >= r->n || r->s[r->i] != '"') return -1;
            Py_ssize_t key = r->i + 1;
            int escaped = 0;
            if (string(r, &escaped) < 0) return -1;
            if (depth == 1) {
                if (escaped) r->unsure = 1; /* "\u0065rror" is "error" to a client */
                else if (r->i - 1 - key == 5 && memcmp(r->s + key, "error", 5) == 0) {
                    r->error_key = 1;
                }
            }
            skip_space(r);
            if (r->i >= r->n || r->s[r->i] != ':') return -1;
            r->i++;
        }
        if (value(r, depth) < 0) return -1;
        skip_space(r);
        if (r->i >= r->n) return -1;
        if (r->s[r->i] == close) {
            r->i++;
            return 0;
        }
        if (r->s[r->i] != ',') return -1;
        r->i++;
    }
}

static int
value(Reader *r, int depth)
{
    skip_space(r);
    if (r->i >= r->n) return -1;
    unsigned char c = r->s[r->i];
    int escaped = 0;
    switch (c) {
    case '{':
    case '[':
        return container(r, depth + 1);
    case '"':
        return string(r, &escaped);
    case 't':
        return literal(r, "true", 4);
    case 'f':
        return literal(r, "false", 5);
    case 'n':
        return literal(r, "null", 4);
    default:
        return (c == '-' || (c >= '0' && c <= '9')) ? number(r) : -1;
    }
}

static int
kind_of(const unsigned char *s, Py_ssize_t n)
{
    /* One line: `data: ` and the data, the event's first newline opening its blank line. */
    if (n < 8 || memcmp(s, "data: ", 6) != 0) return ASK_PYTHON;
    const unsigned char *newline = memchr(s, '\n', (size_t)n);
    if (newline != s + n - 2 || s[n - 1] != '\n') return ASK_PYTHON;
    if (n - 8 >= 6 && memcmp(s + 6, "[DONE]", 6) == 0) return END;
    Reader r = {.s = s + 6, .n = n - 8};
    skip_space(&r);
    if (r.i >= r.n || r.s[r.i] != '{') return ASK_PYTHON;
    if (value(&r, 0) < 0 || r.unsure) return ASK_PYTHON;
    skip_space(&r);
    if (r.i != r.n) return ASK_PYTHON;
    return r.error_key ? ERROR_CHUNK : CHUNK;
}

static PyObject *
event_check_kind(PyObject *Py_UNUSED(module), PyObject *event)
{
    if (!PyBytes_Check(event)) {
        PyErr_SetString(PyExc_TypeError, "kind() takes bytes");
        return NULL;
    }
    const unsigned char *s = (const unsigned char *)PyBytes_AS_STRING(event);
    return PyLong_FromLong(kind_of(s, PyBytes_GET_SIZE(event)));
}

static PyMethodDef event_check_methods[] = {
    {"kind", event_check_kind, METH_O,
     PyDoc_STR("kind(event) -> CHUNK, ERROR_CHUNK, END or ASK_PYTHON")},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef event_check_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "proxy.providers.event_check",
    .m_doc = PyDoc_STR("Whether a client can read a streamed event, in native code."),
    .m_size = -1,
    .m_methods = event_check_methods,
};

PyMODINIT_FUNC
PyInit_event_check(void)
{
    fill_plain();
    PyObject *module = PyModule_Create(&event_check_module);
    if (module == NULL) return NULL;
    if (PyModule_AddIntConstant(module, "CHUNK", CHUNK) < 0
        || PyModule_AddIntConstant(module, "ERROR_CHUNK", ERROR_CHUNK) < 0
        || PyModule_AddIntConstant(module, "END", END) < 0
        || PyModule_AddIntConstant(module, "ASK_PYTHON", ASK_PYTHON) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
