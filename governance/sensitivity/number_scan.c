/* Where the numbers in a text's digit runs are, in native code; what each number is stays in
 * Python (`numbers._kind_of`), called back once per candidate window.
 *
 * Why native: finding and splitting the numbers was half the sensitivity scan's Python steps
 * (a pattern per run, a match object per group, a slice and a join per window). This is the
 * lexing those patterns did, step for step (tests/unit/governance/sensitivity/test_native_scan.py runs them through
 * Python's `re` against this code):
 *   a number   (?<![\w.@/+\-])\+?(?:\(\d{1,5}\)[ .\-]?)?\d
 *              (?:[ .\-/]?\d|[ .\-]?\(\d{1,5}\)[ .\-]?\d)*(?![\w@]|[.\-/]\d)
 *              searched from two characters before a digit run to three after it;
 *   its groups \d+;  an address  \d{1,3}(?:\.\d{1,3}){3};
 *   a card     \d{4}(?:[ \-]\d{4}){2,3}(?:[ \-]\d{1,3})?
 * with \d and \w as Python's patterns read them (any decimal digit, any alphanumeric or "_").
 * Every step of a number is forced (its separators and parentheses leave one way to go on), so
 * the pattern's backtracking reduces to taking the longest end whose look-ahead holds.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#define STACK_GROUPS 64      /* a number's groups, held on the stack up to this many */
#define MAX_WINDOW_GROUPS 8  /* the longest window tried, in groups */
#define MIN_NUMBER 7         /* characters: shorter runs and numbers are never findings */
/* Digits in a window `kind_of` can name (phones 7 to 15, SSNs 9, cards 12 to 19): any other
 * window is no finding, so it is not offered. */
#define MIN_DIGITS 7
#define MAX_DIGITS 19

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t length; /* the string's, or the search's end where the search stops short */
} Text;

static inline Py_UCS4
at(const Text *t, Py_ssize_t i)
{
    return PyUnicode_READ(t->kind, t->data, i);
}

/* Py_UNICODE_ISDECIMAL, without its table look-up for ASCII (nearly every character read). */
static inline int
is_decimal(Py_UCS4 c)
{
    return c < 128 ? c - '0' < 10 : Py_UNICODE_ISDECIMAL(c);
}

static inline int
is_digit(const Text *t, Py_ssize_t i)
{
    return i < t->length && is_decimal(at(t, i));
}

static inline int
is_one_of(const Text *t, Py_ssize_t i, const char *set)
{
    if (i >= t->length) {
        return 0;
    }
    Py_UCS4 c = at(t, i);
    return c < 128 && c != 0 && strchr(set, (int)c) != NULL;
}

static inline int
is_word(Py_UCS4 c)
{
    if (c < 128) {
        return (c | 0x20) - 'a' < 26 || c - '0' < 10 || c == '_';
    }
    return Py_UNICODE_ISALNUM(c);
}

/* "(" \d{1,5} ")" at i: the position after ")", or -1. */
static Py_ssize_t
parenthesised(const Text *t, Py_ssize_t i)
{
    if (i >= t->length || at(t, i) != '(') {
        return -1;
    }
    Py_ssize_t j = i + 1;
    while (is_digit(t, j)) {
        j++;
    }
    if (j - (i + 1) < 1 || j - (i + 1) > 5 || j >= t->length || at(t, j) != ')') {
        return -1;
    }
    return j + 1;
}

/* [ .\-]?\d after a parenthesised group at i: the position after the digit, or -1. */
static Py_ssize_t
digit_after_group(const Text *t, Py_ssize_t i)
{
    if (is_one_of(t, i, " .-") && is_digit(t, i + 1)) {
        return i + 2;
    }
    return is_digit(t, i) ? i + 1 : -1;
}

static int
look_ahead_holds(const Text *t, Py_ssize_t end)
{
    if (end >= t->length) {
        return 1;
    }
    Py_UCS4 c = at(t, end);
    if (is_word(c) || c == '@') {
        return 0;
    }
    return !(is_one_of(t, end, ".-/") && is_digit(t, end + 1));
}

/* The end of the number starting at `start`, or -1. */
static Py_ssize_t
number_at(const Text *t, Py_ssize_t start)
{
    if (start > 0) {
        Py_UCS4 before = PyUnicode_READ(t->kind, t->data, start - 1); /* may lie before the search */
        if (is_word(before) || (before < 128 && before != 0 && strchr(".@/+-", (int)before))) {
            return -1;
        }
    }
    Py_ssize_t p = start;
    if (p < t->length && at(t, p) == '+') {
        p++;
    }
    Py_ssize_t closed = parenthesised(t, p);
    if (closed >= 0) {
        p = digit_after_group(t, closed);
    } else {
        p = is_digit(t, p) ? p + 1 : -1;
    }
    if (p < 0) {
        return -1;
    }
    /* The longest end whose look-ahead holds: where the pattern's backtracking would stop. */
    Py_ssize_t best = look_ahead_holds(t, p) ? p : -1;
    for (;;) {
        if (is_digit(t, p)) {
            p += 1;
        } else if (is_one_of(t, p, " .-/") && is_digit(t, p + 1)) {
            p += 2;
        } else {
            Py_ssize_t open = is_one_of(t, p, " .-") && p + 1 < t->length && at(t, p + 1) == '('
                                  ? p + 1
                                  : p;
            closed = parenthesised(t, open);
            p = closed >= 0 ? digit_after_group(t, closed) : -1;
            if (p < 0) {
                return best;
            }
        }
        if (look_ahead_holds(t, p)) {
            best = p;
        }
    }
}

typedef struct {
    Py_ssize_t start, end; /* in the text */
} Span;

/* \d{1,3}(?:\.\d{1,3}){3}, the whole number. */
static int
is_dotted_quad(const Text *t, const Span *groups, int count, Py_ssize_t start, Py_ssize_t end)
{
    if (count != 4 || groups[0].start != start || groups[3].end != end) {
        return 0;
    }
    for (int g = 0; g < 4; g++) {
        if (groups[g].end - groups[g].start > 3) {
            return 0;
        }
        if (g > 0 && (groups[g].start - groups[g - 1].end != 1 || at(t, groups[g - 1].end) != '.')) {
            return 0;
        }
    }
    return 1;
}

/* \d{4}(?:[ \-]\d{4}){2,3}(?:[ \-]\d{1,3})?, the whole number. */
static int
is_card_shaped(const Text *t, const Span *groups, int count, Py_ssize_t start)
{
    if (count < 3 || count > 5 || groups[0].start != start) {
        return 0;
    }
    for (int g = 0; g < count; g++) {
        Py_ssize_t size = groups[g].end - groups[g].start;
        int tail = g == count - 1 && g >= 3;
        if (!(size == 4 || (tail && size <= 3))) {
            return 0;
        }
        if (g == 4 && size == 4) {
            return 0;
        }
        if (g > 0 && (groups[g].start - groups[g - 1].end != 1
                      || !is_one_of(t, groups[g - 1].end, " -"))) {
            return 0;
        }
    }
    return 1;
}

static int
single_space_between(const Text *t, const Span *groups, int left)
{
    return groups[left + 1].start - groups[left].end == 1 && at(t, groups[left].end) == ' ';
}

/* groups[g] is a year, 18xx to 20xx, written in four digits. */
static int
is_year(const Text *t, const Span *groups, int g)
{
    Py_ssize_t s = groups[g].start;
    if (groups[g].end - s != 4) {
        return 0; /* before reading its second digit, which a shorter group may not have */
    }
    Py_UCS4 century = at(t, s), decade = at(t, s + 1);
    return (century == '1' && (decade == '8' || decade == '9'))
           || (century == '2' && decade == '0');
}

/* groups[g] and groups[g + 1] joined by one of `-./`, and groups[g + 1] one or two digits. */
static int
date_step(const Text *t, const Span *groups, int g)
{
    Py_ssize_t size = groups[g + 1].end - groups[g + 1].start;
    return groups[g + 1].start - groups[g].end == 1 && is_one_of(t, groups[g].end, "-./")
           && size >= 1 && size <= 2;
}

/* numbers.py's `_DATE_INSIDE.search(window)` for groups[first..last]: a year and two short
 * groups joined by `-./` (`2024-09-27`, `27.09.2024`). Such a window of 7, 8, 10 or 11 digits
 * is neither card nor SSN, and `_looks_like_phone` rejects it (no North American number holds
 * one), so kind_of would answer None: nearly every date and timestamp of a log comes here. */
static int
is_dated_phone_window(const Text *t, const Span *groups, int first, int last, Py_ssize_t size)
{
    if (size == 9 || size > 11) {
        return 0;
    }
    for (int g = first; g + 2 <= last; g++) {
        int joined = date_step(t, groups, g) && groups[g + 2].start - groups[g + 1].end == 1
                     && is_one_of(t, groups[g + 1].end, "-./");
        if (joined && (is_year(t, groups, g)
                       ? groups[g + 2].end - groups[g + 2].start <= 2
                       : groups[g].end - groups[g].start <= 2 && is_year(t, groups, g + 2))) {
            return 1;
        }
    }
    return 0;
}

/* What kind_of is called with besides the window: the text, and what the caller passes on. */
typedef struct {
    PyObject *text, *kind_of, *fields, *device_ids, *found;
} Call;

/* Calls kind_of(window, digits, group count, text, window start, fields, device_ids) for
 * groups[first..last]: 1 and appends a finding when it names one, 0 when it does not, -1 on
 * an error. */
static int
try_window(const Call *call, const Text *t, const Span *groups, int first, int last,
           Py_ssize_t window_start)
{
    Py_ssize_t size = 0;
    for (int g = first; g <= last; g++) {
        size += groups[g].end - groups[g].start;
    }
    if (size < MIN_DIGITS || size > MAX_DIGITS
        || is_dated_phone_window(t, groups, first, last, size)) {
        return 0;
    }
    PyObject *window = PyUnicode_Substring(call->text, window_start, groups[last].end);
    PyObject *digits = NULL, *count = NULL, *where = NULL, *kind = NULL;
    int outcome = -1;
    if (window == NULL) {
        goto done;
    }
    Py_UCS4 widest = 127;
    for (int g = first; g <= last; g++) {
        for (Py_ssize_t i = groups[g].start; i < groups[g].end; i++) {
            Py_UCS4 c = at(t, i);
            widest = c > widest ? c : widest;
        }
    }
    digits = PyUnicode_New(size, widest);
    if (digits == NULL) {
        goto done;
    }
    int kind_out = PyUnicode_KIND(digits);
    void *out = PyUnicode_DATA(digits);
    Py_ssize_t written = 0;
    for (int g = first; g <= last; g++) {
        for (Py_ssize_t i = groups[g].start; i < groups[g].end; i++) {
            PyUnicode_WRITE(kind_out, out, written++, at(t, i));
        }
    }
    count = PyLong_FromLong(last + 1 - first);
    where = PyLong_FromSsize_t(window_start);
    if (count == NULL || where == NULL) {
        goto done;
    }
    PyObject *args[] = {window, digits, count, call->text, where, call->fields, call->device_ids};
    kind = PyObject_Vectorcall(call->kind_of, args, sizeof args / sizeof args[0], NULL);
    if (kind == NULL) {
        goto done;
    }
    if (kind == Py_None) {
        outcome = 0;
        goto done;
    }
    if (!PyTuple_Check(kind) || PyTuple_GET_SIZE(kind) != 2) {
        PyErr_SetString(PyExc_TypeError, "kind_of returns None or (entity, score)");
        goto done;
    }
    PyObject *entity = PyTuple_GET_ITEM(kind, 0), *score = PyTuple_GET_ITEM(kind, 1);
    PyObject *finding = Py_BuildValue("(nnOO)", window_start, groups[last].end, entity, score);
    if (finding == NULL || PyList_Append(call->found, finding) < 0) {
        Py_XDECREF(finding);
        goto done;
    }
    Py_DECREF(finding);
    outcome = 1;
done:
    Py_XDECREF(window);
    Py_XDECREF(digits);
    Py_XDECREF(count);
    Py_XDECREF(where);
    Py_XDECREF(kind);
    return outcome;
}

/* A number's groups tried as a card, or as windows of whole groups joined by single spaces,
 * longest first from each group on. */
static int
classify(const Call *call, const Text *t, const Span *groups, int count, Py_ssize_t start)
{
    if (is_card_shaped(t, groups, count, start)) {
        return try_window(call, t, groups, 0, count - 1, start) < 0 ? -1 : 0;
    }
    int first = 0;
    while (first < count) {
        if (first > 0 && !single_space_between(t, groups, first - 1)) {
            first++;
            continue;
        }
        Py_ssize_t window_start = first == 0 ? start : groups[first].start;
        int next = first + 1;
        int top = first + MAX_WINDOW_GROUPS < count ? first + MAX_WINDOW_GROUPS : count;
        for (int last = top - 1; last >= first; last--) {
            if (last < count - 1 && !single_space_between(t, groups, last)) {
                continue;
            }
            int outcome = try_window(call, t, groups, first, last, window_start);
            if (outcome < 0) {
                return -1;
            }
            if (outcome == 1) {
                next = last + 1;
                break;
            }
        }
        first = next;
    }
    return 0;
}

/* A (start, end) pair of a list the caller passed. */
static int
span_of(PyObject *pair, Span *span)
{
    if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
        PyErr_SetString(PyExc_TypeError, "spans are (start, end) tuples");
        return -1;
    }
    span->start = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 0));
    span->end = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, 1));
    return PyErr_Occurred() ? -1 : 0;
}

static PyObject *
scan_numbers(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    /* Read by hand: parsing a format cost as much as a short number's lexing. */
    if (nargs != 6) {
        PyErr_Format(PyExc_TypeError, "scan_numbers takes 6 arguments (%zd given)", nargs);
        return NULL;
    }
    PyObject *text = args[0], *runs = args[1], *claimed = args[2];
    if (!PyUnicode_Check(text) || !PyList_Check(runs) || !PyList_Check(claimed)) {
        PyErr_SetString(PyExc_TypeError, "scan_numbers reads a str and two lists");
        return NULL;
    }
    Call call = {text, args[3], args[4], args[5], NULL};
    Py_ssize_t claims = PyList_GET_SIZE(claimed);
    Span *taken = PyMem_New(Span, claims > 0 ? claims : 1);
    PyObject *found = call.found = PyList_New(0);
    if (taken == NULL || found == NULL) {
        goto fail;
    }
    for (Py_ssize_t i = 0; i < claims; i++) {
        if (span_of(PyList_GET_ITEM(claimed, i), &taken[i]) < 0) {
            goto fail;
        }
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    Span on_stack[STACK_GROUPS];
    for (Py_ssize_t r = 0; r < PyList_GET_SIZE(runs); r++) {
        Span run;
        if (span_of(PyList_GET_ITEM(runs, r), &run) < 0) {
            goto fail;
        }
        Py_ssize_t run_start = run.start, run_end = run.end;
        if (run_start < 0 || run_end < run_start || run_end > length) {
            PyErr_SetString(PyExc_ValueError, "digit runs lie within the text");
            goto fail;
        }
        if (run_end - run_start < MIN_NUMBER) {
            continue;
        }
        Py_ssize_t from = run_start - 2 > 0 ? run_start - 2 : 0;
        Text t = {PyUnicode_KIND(text), PyUnicode_DATA(text),
                  run_end + 3 < length ? run_end + 3 : length};
        Py_ssize_t start = from;
        while (start < t.length) {
            Py_ssize_t end = number_at(&t, start);
            if (end < 0) {
                start++;
                continue;
            }
            int overlaps = 0;
            for (Py_ssize_t c = 0; c < claims; c++) {
                overlaps |= taken[c].start < end && start < taken[c].end;
            }
            /* A number of n characters holds at most n / 2 + 1 groups. */
            Py_ssize_t most = (end - start) / 2 + 1;
            Span *groups = most <= STACK_GROUPS ? on_stack : PyMem_New(Span, most);
            if (groups == NULL) {
                PyErr_NoMemory();
                goto fail;
            }
            int count = 0;
            int has_dot = 0;
            for (Py_ssize_t i = start; i < end;) {
                if (!is_decimal(at(&t, i))) {
                    has_dot |= at(&t, i) == '.';
                    i++;
                    continue;
                }
                groups[count].start = i;
                while (i < end && is_decimal(at(&t, i))) {
                    i++;
                }
                groups[count++].end = i;
            }
            int skipped = end - start < MIN_NUMBER || overlaps
                          || (has_dot && is_dotted_quad(&t, groups, count, start, end));
            int failed = !skipped && classify(&call, &t, groups, count, start) < 0;
            if (groups != on_stack) {
                PyMem_Free(groups);
            }
            if (failed) {
                goto fail;
            }
            start = end;
        }
    }
    PyMem_Free(taken);
    return found;
fail:
    PyMem_Free(taken);
    Py_XDECREF(found);
    return NULL;
}

/* Luhn's checksum over ASCII digits; any other character, or none, fails. Native: in Python
 * it was a tenth of a card's check. */
static PyObject *
luhn_valid(PyObject *Py_UNUSED(module), PyObject *digits)
{
    if (!PyUnicode_Check(digits)) {
        PyErr_SetString(PyExc_TypeError, "luhn_valid reads a str");
        return NULL;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(digits);
    if (length == 0 || !PyUnicode_IS_ASCII(digits)) {
        Py_RETURN_FALSE;
    }
    const Py_UCS1 *read = PyUnicode_1BYTE_DATA(digits);
    Py_ssize_t sum = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        unsigned int value = (unsigned int)read[length - 1 - i] - '0';
        if (value > 9) {
            Py_RETURN_FALSE;
        }
        if (i & 1) { /* every second digit from the right doubled, its digits summed */
            value = value * 2 > 9 ? value * 2 - 9 : value * 2;
        }
        sum += value;
    }
    return PyBool_FromLong(sum % 10 == 0);
}

static PyMethodDef number_scan_methods[] = {
    {"scan_numbers", (PyCFunction)(void (*)(void))scan_numbers, METH_FASTCALL,
     PyDoc_STR("scan_numbers(text, digit_runs, claimed, kind_of, fields, device_ids): the "
               "findings [(start, end, entity, score), ...] of the numbers in the digit runs "
               "that no claimed (start, end) overlaps, as kind_of(window, digits, group_count, "
               "text, window_start, fields, device_ids) names them (None: not a finding); a "
               "window of fewer than 7 or more than 19 digits is never offered.")},
    {"luhn_valid", luhn_valid, METH_O,
     PyDoc_STR("luhn_valid(digits): ASCII digits only, and Luhn's checksum holds.")},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef number_scan_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "governance.sensitivity.number_scan",
    .m_doc = PyDoc_STR("Where the numbers in a text's digit runs are, in native code."),
    .m_size = -1,
    .m_methods = number_scan_methods,
};

PyMODINIT_FUNC
PyInit_number_scan(void)
{
    return PyModule_Create(&number_scan_module);
}
