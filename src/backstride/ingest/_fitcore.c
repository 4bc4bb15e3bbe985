/* Optional compiled core of the FIT decoder (see fit_native.py).
 *
 * activity() reads a FIT file into the Activity read_fit returns, in one call: the scan
 * of the message headers (file headers, CRCs, definitions, the byte position of every
 * data message), every wanted field decoded straight into its message's column, then
 * fit.read_fit's steps on those columns (developer fields, compressed-header and
 * power-on-relative times, compressed speed/distance, strap heart rate, sport, channels,
 * cadence, start time, totals, device, laps, legs) and the file's SHA-256. On a file it
 * was not made for it returns None and the Python steps run. decode() gives the message
 * tables of fit_decode.decode_fit (the work of fit_scan.scan, fit_columns and the
 * per-definition merge, with the same results and warnings), and separate calls do
 * fit_decode's and fit_hr's later numeric steps for the Python steps; each returns None
 * on input it was not made for, and the numpy steps run instead. Every result is tested
 * to equal the pure-Python decoder's on every corpus file and on damaged copies.
 *
 * Built by the package build when a C compiler is present; without it the pure-Python
 * decoder runs unchanged.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ERR_NOT_FIT 1
#define ERR_CORRUPT 2
#define STRING_TYPE 0x07
#define BYTE_TYPE 0x0D
#define TIMESTAMP_FIELD 253

/* ---- profile (set once by init) ---------------------------------------------------- */

typedef struct {
    PyObject *name; /* str, owned */
    double scale, offset;
    int is_time;
} FieldProf;

typedef struct {
    FieldProf *by_num[256];
} MsgProf;

static MsgProf *profiles[65536];
static PyObject *np_empty;   /* numpy.empty */
/* from fit_profile (init): the FIT epoch in Unix seconds, the largest usable date_time,
 * the limit below which a date_time counts from power-on */
static double FIT_EPOCH_S, MAX_FIT_SECONDS, RELATIVE_LIMIT_S;

/* ---- memory ------------------------------------------------------------------------------
 * The Activity path makes many small allocations per file (definitions, plans, columns);
 * during one activity() call they come from a bump arena, freed at once when it returns.
 * Outside it, or once the arena is full, these are malloc and free. */

#define ARENA_BYTES (64 * 1024)
static struct {
    int depth; /* activity() calls running (a nested one keeps the outer one's blocks) */
    size_t used;
    _Alignas(16) uint8_t bytes[ARENA_BYTES];
} arena;

static int in_arena(const void *p) {
    uintptr_t at = (uintptr_t)p, start = (uintptr_t)arena.bytes;
    return at >= start && at - start < ARENA_BYTES;
}

static void *mem_alloc(size_t size) {
    if (arena.depth) {
        size_t need = (size + 16 + 15) & ~(size_t)15; /* a 16-byte header holds the size */
        if (arena.used + need <= ARENA_BYTES) {
            uint8_t *block = arena.bytes + arena.used;
            arena.used += need;
            memcpy(block, &size, sizeof size);
            return block + 16;
        }
    }
    return malloc(size);
}

static void *mem_calloc(size_t count, size_t size) {
    if (size && count > SIZE_MAX / size) return NULL;
    void *p = mem_alloc(count * size);
    if (p) memset(p, 0, count * size);
    return p;
}

static void mem_free(void *p) {
    if (p && !in_arena(p)) free(p);
}

static void *mem_realloc(void *p, size_t size) {
    if (!p || !in_arena(p)) {
        if (!p) return mem_alloc(size);
        return realloc(p, size);
    }
    size_t old;
    memcpy(&old, (uint8_t *)p - 16, sizeof old);
    if (size <= old) return p;
    void *q = mem_alloc(size);
    if (q) memcpy(q, p, old);
    return q;
}

static void arena_enter(void) { arena.depth++; }

static void arena_leave(void) {
    if (--arena.depth == 0) arena.used = 0;
}

/* ---- base types ----------------------------------------------------------------------- */

static const int base_size[17] = {1, 1, 1, 2, 2, 4, 4, 0, 4, 8, 1, 2, 4, 1, 8, 8, 8};

/* CRC-16/ARC, eight bytes per step ("slicing by eight"): crc_tables[k][b] is the CRC
 * of byte b followed by k zero bytes. */
static uint16_t crc_tables[8][256];

static void make_crc_table(void) {
    for (int byte = 0; byte < 256; byte++) {
        uint16_t crc = (uint16_t)byte;
        for (int i = 0; i < 8; i++) crc = (crc & 1) ? (uint16_t)((crc >> 1) ^ 0xA001) : (uint16_t)(crc >> 1);
        crc_tables[0][byte] = crc;
    }
    for (int k = 1; k < 8; k++)
        for (int byte = 0; byte < 256; byte++) {
            uint16_t prev = crc_tables[k - 1][byte];
            crc_tables[k][byte] = (uint16_t)((prev >> 8) ^ crc_tables[0][prev & 0xFF]);
        }
}

static uint16_t crc16(const uint8_t *p, Py_ssize_t n) {
    uint16_t crc = 0;
    while (n >= 8) {
        unsigned low = (crc ^ p[0]) & 0xFF, high = ((crc >> 8) ^ p[1]) & 0xFF;
        crc = (uint16_t)(crc_tables[7][low] ^ crc_tables[6][high] ^ crc_tables[5][p[2]] ^ crc_tables[4][p[3]] ^
                         crc_tables[3][p[4]] ^ crc_tables[2][p[5]] ^ crc_tables[1][p[6]] ^ crc_tables[0][p[7]]);
        p += 8;
        n -= 8;
    }
    while (n--) crc = (uint16_t)((crc >> 8) ^ crc_tables[0][(crc ^ *p++) & 0xFF]);
    return crc;
}

/* ---- scan state ----------------------------------------------------------------------- */

typedef struct {
    uint8_t num, size, type;
    int32_t offset;
} Triple;

typedef struct {
    int global_num, big_endian;
    int n_fields, n_dev;
    Triple *fields, *dev;
    int32_t size;
    int file_index;
    /* the definition's bytes after its header byte, and the file number: its identity */
    const uint8_t *key;
    Py_ssize_t key_len;
    int key_file;
    Py_ssize_t rows;
} Def;

typedef struct {
    const uint8_t *d;
    Py_ssize_t len;
    Def *defs;
    int n_defs, cap_defs;
    int64_t *pos;
    int32_t *def_of;
    Py_ssize_t n_msgs, cap_msgs;
    int64_t *comp_pos;
    int32_t *comp_off;
    Py_ssize_t n_comp, cap_comp;
    PyObject *warnings;
    int n_files;
    int error_kind;
    PyObject *error;   /* message of the error to raise */
    PyObject *stopped; /* message of the reason the stream stopped */
} Ctx;

static int warn(Ctx *c, PyObject *text) {
    if (!text) return -1;
    int r = PyList_Append(c->warnings, text);
    Py_DECREF(text);
    return r;
}

static int fail(Ctx *c, int kind, PyObject *text) {
    if (!text) return -1;
    c->error_kind = kind;
    c->error = text;
    return 1;
}

static int stop(Ctx *c, PyObject *text) {
    if (!text) return -1;
    c->stopped = text;
    return 1;
}

/* Room for one more entry in a pair of parallel arrays (int64 positions, int32 values). */
static int grow(int64_t **first, int32_t **second, Py_ssize_t used, Py_ssize_t *cap) {
    if (used < *cap) return 0;
    Py_ssize_t size = *cap ? *cap * 2 : 256;
    int64_t *p = mem_realloc(*first, (size_t)size * sizeof(int64_t));
    if (!p) return -1;
    *first = p;
    int32_t *q = mem_realloc(*second, (size_t)size * sizeof(int32_t));
    if (!q) return -1;
    *second = q;
    *cap = size;
    return 0;
}

static int add_message(Ctx *c, Py_ssize_t pos, int def) {
    if (grow(&c->pos, &c->def_of, c->n_msgs, &c->cap_msgs)) return -1;
    c->pos[c->n_msgs] = pos;
    c->def_of[c->n_msgs] = def;
    c->n_msgs++;
    c->defs[def].rows++;
    return 0;
}

static int add_compressed(Ctx *c, Py_ssize_t pos, int offset) {
    if (grow(&c->comp_pos, &c->comp_off, c->n_comp, &c->cap_comp)) return -1;
    c->comp_pos[c->n_comp] = pos;
    c->comp_off[c->n_comp] = offset;
    c->n_comp++;
    return 0;
}

/* A count byte and that many (number, size, type-or-index) triples; 1 = stopped. */
static int field_triples(Ctx *c, Py_ssize_t p, Py_ssize_t end, int32_t *offset, Triple **out,
                         int *count, Py_ssize_t *cursor) {
    if (p >= end) return stop(c, PyUnicode_FromFormat("definition field list at byte %zd is cut short", p));
    int n = c->d[p];
    Py_ssize_t last = p + 1 + 3 * (Py_ssize_t)n;
    if (last > end) return stop(c, PyUnicode_FromFormat("definition field list at byte %zd is cut short", p));
    Triple *t = n ? mem_alloc((size_t)n * sizeof(Triple)) : NULL;
    if (n && !t) return -1;
    for (int i = 0; i < n; i++) {
        const uint8_t *b = c->d + p + 1 + 3 * i;
        t[i].num = b[0];
        t[i].size = b[1];
        t[i].type = b[2];
        t[i].offset = *offset;
        *offset += b[1];
    }
    *out = t;
    *count = n;
    *cursor = last;
    return 0;
}

static int definition_id(Ctx *c, Py_ssize_t pos, Py_ssize_t end, int *index, Py_ssize_t *next) {
    const uint8_t *d = c->d;
    Py_ssize_t last = pos + 6 <= end ? pos + 6 + 3 * (Py_ssize_t)d[pos + 5] : end + 1;
    if ((d[pos] & 0x20) && last < end) last += 1 + 3 * (Py_ssize_t)d[last];
    if (last <= end) {
        Py_ssize_t key_len = last - pos - 1;
        for (int i = c->n_defs - 1; i >= 0; i--) {
            Def *k = &c->defs[i];
            if (k->key_len == key_len && k->key_file == c->n_files &&
                memcmp(k->key, d + pos + 1, (size_t)key_len) == 0) {
                *index = i;
                *next = last;
                return 0;
            }
        }
    }
    if (pos + 6 > end) return stop(c, PyUnicode_FromFormat("definition message at byte %zd is cut short", pos));
    int architecture = d[pos + 2];
    if (architecture > 1)
        return stop(c, PyUnicode_FromFormat("definition at byte %zd has architecture %d, expected 0 or 1",
                                            pos, architecture));
    if (c->n_defs == c->cap_defs) {
        int cap = c->cap_defs ? c->cap_defs * 2 : 32;
        Def *p = mem_realloc(c->defs, (size_t)cap * sizeof(Def));
        if (!p) return -1;
        c->defs = p;
        c->cap_defs = cap;
    }
    Def def;
    memset(&def, 0, sizeof def);
    def.big_endian = architecture == 1;
    def.global_num = def.big_endian ? (d[pos + 3] << 8 | d[pos + 4]) : (d[pos + 3] | d[pos + 4] << 8);
    int32_t offset = 0;
    Py_ssize_t cursor;
    int r = field_triples(c, pos + 5, end, &offset, &def.fields, &def.n_fields, &cursor);
    if (r) return r;
    if (d[pos] & 0x20) {
        r = field_triples(c, cursor, end, &offset, &def.dev, &def.n_dev, &cursor);
        if (r) {
            mem_free(def.fields);
            return r;
        }
    }
    def.size = offset + 1;
    def.file_index = c->n_files - 1;
    def.key = d + pos + 1;
    def.key_len = cursor - pos - 1;
    def.key_file = c->n_files;
    c->defs[c->n_defs] = def;
    *index = c->n_defs++;
    *next = cursor;
    return 0;
}

/* The message headers of one file's data section; 1 = stopped (reason in c->stopped). */
static int scan_messages(Ctx *c, Py_ssize_t pos, Py_ssize_t end) {
    const uint8_t *d = c->d;
    int32_t local_size[16] = {0};
    int local_def[16] = {0};
    while (pos < end) {
        int header = d[pos];
        int local;
        int compressed = header & 0x80;
        if (compressed) {
            local = (header >> 5) & 3;
        } else if (header & 0x40) {
            local = header & 0x0F;
            int index;
            Py_ssize_t next;
            int r = definition_id(c, pos, end, &index, &next);
            if (r) return r;
            local_def[local] = index;
            local_size[local] = c->defs[index].size;
            pos = next;
            continue;
        } else {
            local = header & 0x0F;
        }
        int32_t size = local_size[local];
        if (!size)
            return stop(c, PyUnicode_FromFormat(
                               "data message at byte %zd uses local type %d, which has no definition", pos, local));
        if (pos + size > end) return stop(c, PyUnicode_FromFormat("message at byte %zd is cut short", pos));
        if (compressed && add_compressed(c, pos, header & 0x1F)) return -1;
        if (add_message(c, pos, local_def[local])) return -1;
        pos += size;
    }
    return 0;
}

static int is_padding(Ctx *c, Py_ssize_t pos) {
    for (Py_ssize_t i = pos; i < c->len; i++)
        if (c->d[i]) return 0;
    return 1;
}

static unsigned u16le(const uint8_t *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }

/* One file of the chain; 1 = the chain cannot continue after it. */
static int scan_file(Ctx *c, Py_ssize_t pos, Py_ssize_t header_size, Py_ssize_t end) {
    const uint8_t *d = c->d;
    if (header_size >= 14) {
        unsigned stored = u16le(d + pos + 12);
        if (stored && stored != crc16(d + pos, 12))
            if (warn(c, PyUnicode_FromFormat("FIT header CRC mismatch at byte %zd", pos))) return -1;
    }
    Py_ssize_t declared_end = end;
    if (end == pos + header_size) {
        end = c->len;
        if (warn(c, PyUnicode_FromString(
                        "FIT header declares no data (recording not finalised); read the messages present")))
            return -1;
    } else if (end + 2 > c->len) {
        end = c->len;
        if (warn(c, PyUnicode_FromFormat("FIT file is truncated: the header declares %zd bytes, %zd are "
                                         "present; kept the complete messages",
                                         declared_end + 2 - pos, c->len - pos)))
            return -1;
    }
    int r = scan_messages(c, pos + header_size, end);
    if (r < 0) return -1;
    if (r) {
        PyObject *text = PyUnicode_FromFormat("%U; kept the %zd messages before it", c->stopped, c->n_msgs);
        Py_CLEAR(c->stopped);
        return warn(c, text) ? -1 : 1;
    }
    if (end != declared_end) return 1;
    if (u16le(d + end) != crc16(d + pos, end - pos))
        if (warn(c, PyUnicode_FromFormat("FIT file CRC mismatch at byte %zd; values may be damaged", end)))
            return -1;
    return 0;
}

/* 0 = scanned, 1 = error to raise (c->error), -1 = Python exception set. */
static int scan(Ctx *c) {
    const uint8_t *d = c->d;
    Py_ssize_t len = c->len;
    if (!len) return fail(c, ERR_NOT_FIT, PyUnicode_FromString("not a FIT file: it is empty"));
    Py_ssize_t pos = 0;
    while (pos < len) {
        if (c->n_files && is_padding(c, pos)) break;
        int first = !c->n_files;
        char where[48];
        if (pos)
            snprintf(where, sizeof where, "at byte %zd", pos);
        else
            snprintf(where, sizeof where, "at the start");
        if (len - pos < 12 || memcmp(d + pos + 8, ".FIT", 4) != 0 || d[pos] < 12) {
            if (first) return fail(c, ERR_NOT_FIT, PyUnicode_FromString("not a FIT file: no '.FIT' header signature"));
            if (warn(c, PyUnicode_FromFormat("%zd bytes %s are not a FIT file header; ignored them", len - pos, where)))
                return -1;
            break;
        }
        Py_ssize_t header_size = d[pos];
        if (len - pos < header_size) {
            if (first)
                return fail(c, ERR_CORRUPT, PyUnicode_FromFormat("FIT header is cut short: %zd bytes in the file", len));
            if (warn(c, PyUnicode_FromFormat("FIT header %s is cut short; ignored the last %zd bytes", where, len - pos)))
                return -1;
            break;
        }
        uint32_t data_size = (uint32_t)d[pos + 4] | (uint32_t)d[pos + 5] << 8 | (uint32_t)d[pos + 6] << 16 |
                             (uint32_t)d[pos + 7] << 24;
        Py_ssize_t end = pos + header_size + (Py_ssize_t)data_size;
        c->n_files++;
        int r = scan_file(c, pos, header_size, end);
        if (r < 0) return -1;
        if (r) break;
        pos = end + 2;
    }
    return 0;
}

/* ---- decoding ---------------------------------------------------------------------------- */

typedef struct {
    PyObject *name;  /* borrowed from the profile */
    int is_time;     /* a date_time field */
    int is_object;   /* some definition holds it as a string */
    int width;       /* values per row (max over the definitions) */
    Py_ssize_t covered; /* rows that a full-width numeric piece fills */
    double *values;  /* numeric column data (n x width) */
    PyObject *array; /* numpy array or list (strings) */
} Column;

typedef struct {
    PyObject *name;  /* borrowed from the profile */
    int is_time;
    int column;      /* index into the message's columns */
    int offset, size, kind, count;
    int values; /* values in the field's bytes (count is 1 for a date_time array) */
    int is_string;
    double scale, offset_value;
    int scaled;
} Plan;

/* A plan entry of the common kind, one number into a numeric column: what fill reads
 * per message, packed together. */
typedef struct {
    int offset, kind, scaled, width;
    double scale, offset_value;
    double *values; /* the column's data */
} Quick;

typedef struct {
    int selected;
    int n_plan;
    Plan *plan;
    int message; /* index into the messages list */
    int n_quick, n_slow;
    Quick *quick;   /* the single numbers (after allocate) */
    int *slow;      /* the other plan entries: strings, arrays, byte arrays */
} DefPlan;

typedef struct {
    int global_num;
    Py_ssize_t n;
    Py_ssize_t next_row;
    int64_t *order;
    int64_t *order_store; /* plain memory behind `order` (the Activity path) */
    PyObject *order_array;
    int n_cols, cap_cols;
    Column *cols;
} Message;

static int column_of(Message *m, PyObject *name) {
    for (int i = 0; i < m->n_cols; i++)
        if (m->cols[i].name == name) return i;
    if (m->n_cols == m->cap_cols) {
        int cap = m->cap_cols ? m->cap_cols * 2 : 16;
        Column *p = mem_realloc(m->cols, (size_t)cap * sizeof(Column));
        if (!p) return -1;
        m->cols = p;
        m->cap_cols = cap;
    }
    Column *col = &m->cols[m->n_cols];
    memset(col, 0, sizeof *col);
    col->name = name;
    return m->n_cols++;
}

typedef struct {
    PyObject_HEAD
    char *data;
} ArrayHead;

static int direct_data = 0;

/* The numpy dtype named `name` (a new reference), kept after its first use: numpy takes a
 * dtype object faster than it parses its name. */
static PyObject *dtype_of(const char *name) {
    static const char *names[3] = {"int64", "datetime64[ms]", "float64"};
    static PyObject *dtypes[3];
    int slot = -1;
    for (int i = 0; i < 3 && slot < 0; i++)
        if (strcmp(name, names[i]) == 0) slot = i;
    if (slot >= 0 && dtypes[slot]) {
        Py_INCREF(dtypes[slot]);
        return dtypes[slot];
    }
    PyObject *text = PyUnicode_FromString(name);
    if (!text || slot < 0) return text;
    PyObject *zero = PyLong_FromLong(0);
    PyObject *probe = zero ? PyObject_CallFunctionObjArgs(np_empty, zero, text, NULL) : NULL;
    Py_XDECREF(zero);
    PyObject *dtype = probe ? PyObject_GetAttrString(probe, "dtype") : NULL;
    Py_XDECREF(probe);
    if (!dtype) {
        PyErr_Clear();
        return text; /* the name works as well, only slower */
    }
    Py_DECREF(text);
    dtypes[slot] = dtype;
    Py_INCREF(dtype);
    return dtype;
}

/* numpy's C-API table (its _ARRAY_API capsule), when init found it and checked that it
 * makes the arrays numpy.empty makes: PyArray_NewFromDescr without an argument parse.
 * The table's slots are numpy's stable ABI (2: PyArray_Type, 94: PyArray_NewFromDescr). */
static void **np_api;
typedef PyObject *(*NewFromDescr)(PyTypeObject *, PyObject *, int, const Py_ssize_t *, const Py_ssize_t *,
                                   void *, int, PyObject *);

static PyObject *api_array(Py_ssize_t n, int width, const char *dtype, void **data) {
    PyObject *descr = dtype_of(dtype ? dtype : "float64"); /* stolen by NewFromDescr */
    if (!descr) return NULL;
    Py_ssize_t dims[2] = {n, width};
    PyObject *array = ((NewFromDescr)np_api[94])((PyTypeObject *)np_api[2], descr, width > 1 ? 2 : 1, dims, NULL,
                                                 NULL, 0, NULL);
    if (array) *data = ((ArrayHead *)array)->data;
    return array;
}

static PyObject *new_array(Py_ssize_t n, int width, const char *dtype, void **data) {
    if (np_api) return api_array(n, width, dtype, data);
    PyObject *shape = width > 1 ? Py_BuildValue("(ni)", n, width) : PyLong_FromSsize_t(n);
    if (!shape) return NULL;
    PyObject *array;
    if (dtype) {
        PyObject *name = dtype_of(dtype);
        array = name ? PyObject_CallFunctionObjArgs(np_empty, shape, name, NULL) : NULL;
        Py_XDECREF(name);
    } else {
        array = PyObject_CallFunctionObjArgs(np_empty, shape, NULL);
    }
    Py_DECREF(shape);
    if (!array) return NULL;
    if (direct_data) { /* checked at init to be where the buffer protocol finds it */
        *data = ((ArrayHead *)array)->data;
        return array;
    }
    Py_buffer view;
    if (PyObject_GetBuffer(array, &view, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) < 0) {
        Py_DECREF(array);
        return NULL;
    }
    *data = view.buf; /* the array owns the memory and outlives this call's use of it */
    PyBuffer_Release(&view);
    return array;
}

/* Whether a new numpy array's data pointer is the first field after the object header
 * (numpy's documented PyArrayObject layout): reading it there is much cheaper than the
 * buffer protocol. Checked on real arrays; otherwise the buffer protocol is used. */
static int check_direct_data(void) {
    for (int width = 1; width <= 2; width++) {
        void *data;
        direct_data = 0;
        PyObject *array = new_array(4, width, width == 1 ? "int64" : NULL, &data);
        if (!array) return -1;
        int same = ((ArrayHead *)array)->data == data;
        Py_DECREF(array);
        if (!same) return 0;
    }
    direct_data = 1;
    return 0;
}

/* Find numpy's C-API table and keep it when the arrays it makes are numpy.empty's own
 * (type, dtype, shape, writable data where the header says); else np.empty is used. */
static int find_numpy_api(void) {
    np_api = NULL;
    if (!direct_data) return 0;
    const char *modules[2] = {"numpy._core._multiarray_umath", "numpy.core._multiarray_umath"};
    void **table = NULL;
    for (int i = 0; i < 2 && !table; i++) {
        PyObject *module = PyImport_ImportModule(modules[i]);
        PyObject *capsule = module ? PyObject_GetAttrString(module, "_ARRAY_API") : NULL;
        Py_XDECREF(module);
        if (capsule && PyCapsule_CheckExact(capsule)) table = PyCapsule_GetPointer(capsule, NULL);
        Py_XDECREF(capsule);
        PyErr_Clear();
    }
    if (!table || !table[2] || !table[94]) return 0;
    const char *kinds[3] = {"float64", "int64", "datetime64[ms]"};
    int good = 1;
    for (int k = 0; k < 3 && good; k++)
        for (int width = 1; width <= 2 && good; width++) {
            void *mine_data, *their_data;
            np_api = table;
            PyObject *mine = api_array(3, width, kinds[k], &mine_data);
            np_api = NULL;
            PyObject *theirs = new_array(3, width, kinds[k], &their_data);
            PyObject *a = mine ? PyObject_GetAttrString(mine, "dtype") : NULL;
            PyObject *b = theirs ? PyObject_GetAttrString(theirs, "dtype") : NULL;
            PyObject *sa = mine ? PyObject_GetAttrString(mine, "shape") : NULL;
            PyObject *sb = theirs ? PyObject_GetAttrString(theirs, "shape") : NULL;
            good = mine && theirs && a && b && sa && sb && Py_TYPE(mine) == Py_TYPE(theirs) &&
                   PyObject_RichCompareBool(a, b, Py_EQ) == 1 && PyObject_RichCompareBool(sa, sb, Py_EQ) == 1;
            if (good) {
                Py_buffer view; /* the data pointer is the buffer's, and writable */
                good = PyObject_GetBuffer(mine, &view, PyBUF_WRITABLE | PyBUF_C_CONTIGUOUS) == 0;
                if (good) {
                    good = view.buf == mine_data && view.len == 3 * width * 8;
                    PyBuffer_Release(&view);
                }
            }
            Py_XDECREF(mine);
            Py_XDECREF(theirs);
            Py_XDECREF(a);
            Py_XDECREF(b);
            Py_XDECREF(sa);
            Py_XDECREF(sb);
            PyErr_Clear();
        }
    if (good) np_api = table;
    return 0;
}

static inline uint64_t read_uint(const uint8_t *p, int size, int big) {
    uint64_t v = 0;
    if (big)
        for (int i = 0; i < size; i++) v = v << 8 | p[i];
    else
        for (int i = size - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

/* Unaligned 2-, 4- and 8-byte reads in either byte order (one load, a swap when big). */
static inline uint16_t u16_at(const uint8_t *p, int big) {
    uint16_t v;
    memcpy(&v, p, 2);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && (defined(__GNUC__) || defined(__clang__))
    return big ? __builtin_bswap16(v) : v;
#else
    return (uint16_t)read_uint(p, 2, big);
#endif
}

static inline uint32_t u32_at(const uint8_t *p, int big) {
    uint32_t v;
    memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && (defined(__GNUC__) || defined(__clang__))
    return big ? __builtin_bswap32(v) : v;
#else
    return (uint32_t)read_uint(p, 4, big);
#endif
}

static inline uint64_t u64_at(const uint8_t *p, int big) {
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && (defined(__GNUC__) || defined(__clang__))
    return big ? __builtin_bswap64(v) : v;
#else
    return read_uint(p, 8, big);
#endif
}

/* One value of base type `kind` as float64, NaN when it is the type's invalid value. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((always_inline))
#endif
static inline double value_of(const uint8_t *p, int kind, int big) {
    switch (kind) {
    case 0x00: case 0x02: case 0x0D: return p[0] == 0xFF ? NAN : (double)p[0];
    case 0x0A: return p[0] == 0 ? NAN : (double)p[0];
    case 0x01: return p[0] == 0x7F ? NAN : (double)(int8_t)p[0];
    case 0x03: { uint16_t v = u16_at(p, big); return v == 0x7FFF ? NAN : (double)(int16_t)v; }
    case 0x04: { uint16_t v = u16_at(p, big); return v == 0xFFFF ? NAN : (double)v; }
    case 0x0B: { uint16_t v = u16_at(p, big); return v == 0 ? NAN : (double)v; }
    case 0x05: { uint32_t v = u32_at(p, big); return v == 0x7FFFFFFFu ? NAN : (double)(int32_t)v; }
    case 0x06: { uint32_t v = u32_at(p, big); return v == 0xFFFFFFFFu ? NAN : (double)v; }
    case 0x0C: { uint32_t v = u32_at(p, big); return v == 0 ? NAN : (double)v; }
    case 0x08: { uint32_t v = u32_at(p, big); float f; memcpy(&f, &v, 4); return (double)f; }
    case 0x09: { uint64_t v = u64_at(p, big); double f; memcpy(&f, &v, 8); return f; }
    case 0x0E: { uint64_t v = u64_at(p, big); return v == 0x7FFFFFFFFFFFFFFFull ? NAN : (double)(int64_t)v; }
    case 0x0F: { uint64_t v = u64_at(p, big); return v == 0xFFFFFFFFFFFFFFFFull ? NAN : (double)v; }
    case 0x10: { uint64_t v = u64_at(p, big); return v == 0 ? NAN : (double)v; }
    }
    return NAN;
}

static PyObject *string_of(const uint8_t *p, int size) {
    int n = 0;
    while (n < size && p[n]) n++;
    if (!n) Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8((const char *)p, n, "replace");
}

static PyObject *int64_array(const int64_t *values, Py_ssize_t n) {
    void *data;
    PyObject *array = new_array(n, 1, "int64", &data);
    if (array && n) memcpy(data, values, (size_t)n * sizeof(int64_t));
    return array;
}

static PyObject *triples_tuple(const Triple *t, int n) {
    PyObject *out = PyTuple_New(n);
    if (!out) return NULL;
    for (int i = 0; i < n; i++) {
        PyObject *item = Py_BuildValue("(iiii)", t[i].num, (int)t[i].offset, t[i].size, t[i].type);
        if (!item) {
            Py_DECREF(out);
            return NULL;
        }
        PyTuple_SET_ITEM(out, i, item);
    }
    return out;
}

/* Whether field `num` of a message is chosen: chosen is None (all), a frozenset of field
 * numbers, or NULL for "the timestamp only". -1 on error. */
static int is_chosen(PyObject *chosen, int num) {
    if (!chosen) return num == TIMESTAMP_FIELD;
    if (chosen == Py_None) return 1;
    PyObject *key = PyLong_FromLong(num);
    if (!key) return -1;
    int r = PySet_Contains(chosen, key);
    Py_DECREF(key);
    return r;
}

/* Up to this many rows the Activity path keeps record columns in plain memory: a numpy
 * array costs more to make than the few values cost to copy into the channel's own. */
#define SMALL_ROWS 64

typedef struct {
    Ctx *c;
    DefPlan *plans;
    Message *msgs;
    int n_msgs;
    /* the Activity path: only record columns become numpy arrays, the rest plain memory */
    int plain;
} Decode;

static void free_decode(Decode *z) {
    if (z->plans) {
        for (int i = 0; i < z->c->n_defs; i++) {
            mem_free(z->plans[i].plan);
            mem_free(z->plans[i].quick);
            mem_free(z->plans[i].slow);
        }
        mem_free(z->plans);
    }
    if (z->msgs) {
        for (int i = 0; i < z->n_msgs; i++) {
            Message *m = &z->msgs[i];
            for (int k = 0; k < m->n_cols; k++) {
                if (!m->cols[k].array) mem_free(m->cols[k].values); /* plain memory */
                Py_XDECREF(m->cols[k].array);
            }
            mem_free(m->cols);
            mem_free(m->order_store);
            Py_XDECREF(m->order_array);
        }
        mem_free(z->msgs);
    }
}

/* The Activity path's plan, compiled once (init_activity): per message number the index
 * of its entry (-1: not wanted), each entry every field or a bitmap of field numbers. */
typedef struct {
    int all;
    uint8_t bits[32];
} Wanted;
static Wanted activity_plan[32];
static int8_t activity_plan_of[65536];

static int compiled_chosen(int entry, int num) {
    const Wanted *w = &activity_plan[entry];
    return w->all || (w->bits[num >> 3] >> (num & 7) & 1);
}

/* Which definitions are decoded, their field plans and the merged columns' shapes. */
static int plan_definitions(Decode *z, PyObject *wanted) {
    Ctx *c = z->c;
    int has_compressed = c->n_comp > 0;
    z->plans = mem_calloc((size_t)(c->n_defs ? c->n_defs : 1), sizeof(DefPlan));
    z->msgs = mem_calloc((size_t)(c->n_defs ? c->n_defs : 1), sizeof(Message));
    if (!z->plans || !z->msgs) return -1;
    for (int i = 0; i < c->n_defs; i++) {
        Def *def = &c->defs[i];
        DefPlan *dp = &z->plans[i];
        MsgProf *prof = profiles[def->global_num];
        if (!def->rows || !prof) continue;
        PyObject *chosen = Py_None; /* borrowed */
        int entry = -1;
        if (z->plain) { /* the compiled plan */
            entry = activity_plan_of[def->global_num];
            if (entry < 0) {
                if (!has_compressed) continue;
                chosen = NULL; /* only the timestamp, which compressed times count from */
            }
        } else if (wanted != Py_None) {
            PyObject *key = PyLong_FromLong(def->global_num);
            if (!key) return -1;
            chosen = PyDict_GetItemWithError(wanted, key);
            Py_DECREF(key);
            if (!chosen) {
                if (PyErr_Occurred()) return -1;
                if (!has_compressed) continue;
                chosen = NULL; /* only the timestamp, which compressed times count from */
            }
        }
        dp->selected = 1;
        int m_index = -1;
        for (int k = 0; k < z->n_msgs; k++)
            if (z->msgs[k].global_num == def->global_num) m_index = k;
        if (m_index < 0) {
            m_index = z->n_msgs++;
            z->msgs[m_index].global_num = def->global_num;
        }
        dp->message = m_index;
        Message *m = &z->msgs[m_index];
        m->n += def->rows;
        dp->plan = def->n_fields ? mem_calloc((size_t)def->n_fields, sizeof(Plan)) : NULL;
        if (def->n_fields && !dp->plan) return -1;
        /* which fields count, in field order (a field number defined twice: the first
         * one counts), then their columns: strings first, then numbers, as the
         * pure-Python decoder orders them */
        for (int f = 0; f < def->n_fields; f++) {
            Triple *t = &def->fields[f];
            FieldProf *fp = prof->by_num[t->num];
            if (!fp) continue;
            int r = entry >= 0 ? compiled_chosen(entry, t->num) : is_chosen(chosen, t->num);
            if (r < 0) return -1;
            if (!r) continue;
            int dup = 0;
            for (int q = 0; q < dp->n_plan; q++)
                if (dp->plan[q].name == fp->name) dup = 1;
            if (dup) continue;
            int kind = t->type & 0x1F;
            int is_string = kind == STRING_TYPE;
            int count = 1;
            if (!is_string) {
                if (kind > 0x10 || !t->size) continue;
                if (t->size % base_size[kind]) continue;
                count = t->size / base_size[kind];
            }
            Plan *p = &dp->plan[dp->n_plan++];
            p->name = fp->name;
            p->is_time = fp->is_time;
            p->offset = t->offset;
            p->size = t->size;
            p->kind = kind;
            p->is_string = is_string;
            p->count = fp->is_time ? 1 : count; /* a date_time is never an array */
            p->values = count;
            p->scale = fp->scale;
            p->offset_value = fp->offset;
            p->scaled = !(fp->scale == 1.0 && fp->offset == 0.0);
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int q = 0; q < dp->n_plan; q++) {
                Plan *p = &dp->plan[q];
                if (p->is_string != (pass == 0)) continue;
                int col = column_of(m, p->name);
                if (col < 0) return -1;
                p->column = col;
                Column *cc = &m->cols[col];
                cc->is_time = p->is_time;
                if (p->is_string)
                    cc->is_object = 1;
                else if (p->count > cc->width)
                    cc->width = p->count;
            }
        }
    }
    /* a column is covered when full-width numeric pieces fill every row */
    for (int i = 0; i < c->n_defs; i++) {
        DefPlan *dp = &z->plans[i];
        if (!dp->selected) continue;
        Message *m = &z->msgs[dp->message];
        for (int q = 0; q < dp->n_plan; q++) {
            Column *cc = &m->cols[dp->plan[q].column];
            if (!dp->plan[q].is_string && dp->plan[q].count == cc->width) cc->covered += c->defs[i].rows;
        }
    }
    return 0;
}

static int allocate(Decode *z) {
    for (int i = 0; i < z->n_msgs; i++) {
        Message *m = &z->msgs[i];
        void *data;
        if (z->plain) { /* the Activity path reads no message order */
            m->order = m->order_store = mem_alloc((size_t)(m->n ? m->n : 1) * sizeof(int64_t));
            if (!m->order) return -1;
        } else {
            m->order_array = new_array(m->n, 1, "int64", &data);
            if (!m->order_array) return -1;
            m->order = data;
        }
        for (int k = 0; k < m->n_cols; k++) {
            Column *cc = &m->cols[k];
            if (cc->is_object) {
                cc->array = PyList_New(m->n);
                if (!cc->array) return -1;
                for (Py_ssize_t r = 0; r < m->n; r++) {
                    Py_INCREF(Py_None);
                    PyList_SET_ITEM(cc->array, r, Py_None);
                }
                continue;
            }
            if (!cc->width) cc->width = 1;
            if (z->plain && (m->global_num != 20 || cc->is_time || m->n <= SMALL_ROWS)) {
                cc->values = mem_alloc((size_t)(m->n ? m->n : 1) * (size_t)cc->width * sizeof(double));
                if (!cc->values) return -1;
            } else {
                cc->array = new_array(m->n, cc->width, NULL, &data);
                if (!cc->array) return -1;
                cc->values = data;
            }
            if (cc->covered != m->n) {
                Py_ssize_t total = m->n * cc->width;
                for (Py_ssize_t r = 0; r < total; r++) cc->values[r] = NAN;
            }
        }
    }
    return 0;
}

/* Split each definition's plan into the single numbers (most fields) and the rest. */
static int quick_plans(Decode *z) {
    for (int i = 0; i < z->c->n_defs; i++) {
        DefPlan *dp = &z->plans[i];
        if (!dp->selected || !dp->n_plan) continue;
        Message *m = &z->msgs[dp->message];
        dp->quick = mem_alloc((size_t)dp->n_plan * sizeof(Quick));
        dp->slow = mem_alloc((size_t)dp->n_plan * sizeof(int));
        if (!dp->quick || !dp->slow) return -1;
        for (int q = 0; q < dp->n_plan; q++) {
            Plan *p = &dp->plan[q];
            Column *cc = &m->cols[p->column];
            if (p->is_string || cc->is_object || p->count != 1 || (p->kind == BYTE_TYPE && p->values > 1)) {
                dp->slow[dp->n_slow++] = q;
                continue;
            }
            Quick *k = &dp->quick[dp->n_quick++];
            k->offset = p->offset;
            k->kind = p->kind;
            k->scaled = p->scaled;
            k->width = cc->width;
            k->scale = p->scale;
            k->offset_value = p->offset_value;
            k->values = cc->values;
        }
    }
    return 0;
}

static int fill(Decode *z) {
    Ctx *c = z->c;
    const uint8_t *d = c->d;
    if (quick_plans(z) < 0) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < c->n_msgs; i++) {
        int def_index = c->def_of[i];
        DefPlan *dp = &z->plans[def_index];
        if (!dp->selected) continue;
        Message *m = &z->msgs[dp->message];
        Py_ssize_t row = m->next_row++;
        m->order[row] = i;
        const uint8_t *base = d + c->pos[i] + 1;
        int big = c->defs[def_index].big_endian;
        for (int q = 0; q < dp->n_quick; q++) {
            const Quick *k = &dp->quick[q];
            double value = value_of(base + k->offset, k->kind, big);
            k->values[row * k->width] = k->scaled ? value / k->scale - k->offset_value : value;
        }
        for (int s = 0; s < dp->n_slow; s++) {
            Plan *p = &dp->plan[dp->slow[s]];
            Column *cc = &m->cols[p->column];
            const uint8_t *at = base + p->offset;
            if (p->is_string) {
                PyObject *text = string_of(at, p->size);
                if (!text) return -1;
                PyList_SET_ITEM(cc->array, row, text); /* steals; replaces None */
                Py_DECREF(Py_None);
                continue;
            }
            if (cc->is_object) continue; /* a number where other definitions hold a string */
            double *out = cc->values + row * cc->width;
            int step = base_size[p->kind];
            if (p->kind == BYTE_TYPE && p->values > 1) { /* invalid only when every byte is */
                int all = 1; /* (of the whole array, also when only its first value is kept) */
                for (int k = 0; k < p->values; k++)
                    if (at[k] != 0xFF) all = 0;
                for (int k = 0; k < p->count; k++) out[k] = all ? NAN : (double)at[k];
            } else {
                for (int k = 0; k < p->count; k++) out[k] = value_of(at + k * step, p->kind, big);
            }
            if (p->scaled)
                for (int k = 0; k < p->count; k++) out[k] = out[k] / p->scale - p->offset_value;
        }
    }
    return 0;
}

/* "timestamp" and "start_time", interned as the profile's names are (init) */
static PyObject *name_timestamp, *name_start_time;

/* Whether a record or session time counts from power-on (fit_time._has_relative_times). */
static int has_relative_times(Decode *z) {
    for (int i = 0; i < z->n_msgs; i++) {
        Message *m = &z->msgs[i];
        if (m->global_num != 20 && m->global_num != 18) continue;
        for (int k = 0; k < m->n_cols; k++) {
            Column *cc = &m->cols[k];
            if (cc->is_object || cc->width != 1) continue;
            if (cc->name != name_timestamp && cc->name != name_start_time) continue;
            for (Py_ssize_t r = 0; r < m->n; r++)
                if (isfinite(cc->values[r]) && cc->values[r] < RELATIVE_LIMIT_S) return 1;
        }
    }
    return 0;
}

/* date_time columns as datetime64[ms] (fit_decode.to_datetime64), done here when nothing
 * in Python moves times: no compressed headers, no relative times. 1 = converted. */
static int convert_times(Decode *z) {
    if (!direct_data || z->c->n_comp || has_relative_times(z)) return 0;
    for (int i = 0; i < z->n_msgs; i++) {
        Message *m = &z->msgs[i];
        for (int k = 0; k < m->n_cols; k++) {
            Column *cc = &m->cols[k];
            if (!cc->is_time || cc->is_object || cc->width != 1) continue;
            void *data;
            PyObject *out = new_array(m->n, 1, "datetime64[ms]", &data);
            if (!out) return -1;
            int64_t *ms = data;
            for (Py_ssize_t r = 0; r < m->n; r++) {
                double v = cc->values[r];
                ms[r] = (isfinite(v) && fabs(v) <= MAX_FIT_SECONDS) ? (int64_t)((v + FIT_EPOCH_S) * 1000.0)
                                                                     : INT64_MIN;
            }
            Py_DECREF(cc->array);
            cc->array = out;
            cc->values = NULL;
        }
    }
    return 1;
}

/* A 1-D numpy object array holding the items of a list (fit_columns.object_array). */
static PyObject *object_array(PyObject *items) {
    PyObject *shape = PyLong_FromSsize_t(PyList_GET_SIZE(items));
    PyObject *array = shape ? PyObject_CallFunctionObjArgs(np_empty, shape,
                                                           (PyObject *)&PyBaseObject_Type, NULL)
                            : NULL;
    Py_XDECREF(shape);
    PyObject *all = array ? PySlice_New(NULL, NULL, NULL) : NULL;
    if (!all || PyObject_SetItem(array, all, items) < 0) {
        Py_XDECREF(all);
        Py_XDECREF(array);
        return NULL;
    }
    Py_DECREF(all);
    return array;
}

static PyObject *tables_dict(Decode *z) {
    PyObject *tables = PyDict_New();
    if (!tables) return NULL;
    for (int i = 0; i < z->n_msgs; i++) {
        Message *m = &z->msgs[i];
        PyObject *cols = PyDict_New();
        if (!cols) goto error;
        for (int k = 0; k < m->n_cols; k++) {
            PyObject *column = m->cols[k].array;
            PyObject *texts = m->cols[k].is_object ? object_array(column) : NULL;
            if ((m->cols[k].is_object && !texts) ||
                PyDict_SetItem(cols, m->cols[k].name, texts ? texts : column) < 0) {
                Py_XDECREF(texts);
                Py_DECREF(cols);
                goto error;
            }
            Py_XDECREF(texts);
        }
        PyObject *key = PyLong_FromLong(m->global_num);
        PyObject *pair = key ? PyTuple_Pack(2, m->order_array, cols) : NULL;
        Py_DECREF(cols);
        if (!pair || PyDict_SetItem(tables, key, pair) < 0) {
            Py_XDECREF(key);
            Py_XDECREF(pair);
            goto error;
        }
        Py_DECREF(key);
        Py_DECREF(pair);
    }
    return tables;
error:
    Py_DECREF(tables);
    return NULL;
}

/* Definitions the Python side reads bytes of: field descriptions and developer fields. */
static PyObject *raw_groups(Decode *z, PyObject *wanted) {
    Ctx *c = z->c;
    PyObject *out = PyList_New(0);
    if (!out) return NULL;
    int64_t *order = NULL, *pos = NULL;
    for (int i = 0; i < c->n_defs; i++) {
        Def *def = &c->defs[i];
        if (!def->rows) continue;
        int wanted_dev = 0;
        if (def->n_dev && profiles[def->global_num]) {
            if (wanted == Py_None) {
                wanted_dev = 1;
            } else {
                PyObject *key = PyLong_FromLong(def->global_num);
                if (!key) goto error;
                wanted_dev = PyDict_Contains(wanted, key);
                Py_DECREF(key);
                if (wanted_dev < 0) goto error;
            }
        }
        if (def->global_num != 206 && !wanted_dev) continue;
        order = mem_alloc((size_t)def->rows * sizeof(int64_t));
        pos = mem_alloc((size_t)def->rows * sizeof(int64_t));
        if (!order || !pos) goto error;
        Py_ssize_t n = 0;
        for (Py_ssize_t k = 0; k < c->n_msgs; k++)
            if (c->def_of[k] == i) {
                order[n] = k;
                pos[n++] = c->pos[k];
            }
        PyObject *fields = triples_tuple(def->fields, def->n_fields);
        PyObject *dev = triples_tuple(def->dev, def->n_dev);
        PyObject *order_array = int64_array(order, n);
        PyObject *pos_array = int64_array(pos, n);
        PyObject *item = (fields && dev && order_array && pos_array)
                             ? Py_BuildValue("(iiOOiiOO)", def->global_num, def->big_endian, fields, dev,
                                             (int)def->size, def->file_index, order_array, pos_array)
                             : NULL;
        Py_XDECREF(fields);
        Py_XDECREF(dev);
        Py_XDECREF(order_array);
        Py_XDECREF(pos_array);
        mem_free(order);
        mem_free(pos);
        order = pos = NULL;
        if (!item || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            goto error;
        }
        Py_DECREF(item);
    }
    return out;
error:
    mem_free(order);
    mem_free(pos);
    Py_DECREF(out);
    return NULL;
}

/* Every message's position and global number and the compressed headers' positions and
 * time offsets, or None when there are none. */
static PyObject *located(Ctx *c) {
    if (!c->n_comp) Py_RETURN_NONE;
    PyObject *positions = int64_array(c->pos, c->n_msgs);
    void *data, *pos_data, *off_data;
    PyObject *globals = new_array(c->n_msgs, 1, "int64", &data);
    PyObject *comp_pos = new_array(c->n_comp, 1, "int64", &pos_data);
    PyObject *comp_off = new_array(c->n_comp, 1, "int64", &off_data);
    PyObject *out = NULL;
    if (positions && globals && comp_pos && comp_off) {
        int64_t *g = data, *p = pos_data, *o = off_data;
        for (Py_ssize_t k = 0; k < c->n_msgs; k++) g[k] = c->defs[c->def_of[k]].global_num;
        for (Py_ssize_t k = 0; k < c->n_comp; k++) {
            p[k] = c->comp_pos[k];
            o[k] = c->comp_off[k];
        }
        out = PyTuple_Pack(4, positions, globals, comp_pos, comp_off);
    }
    Py_XDECREF(positions);
    Py_XDECREF(globals);
    Py_XDECREF(comp_pos);
    Py_XDECREF(comp_off);
    return out;
}

static void free_ctx(Ctx *c) {
    for (int i = 0; i < c->n_defs; i++) {
        mem_free(c->defs[i].fields);
        mem_free(c->defs[i].dev);
    }
    mem_free(c->defs);
    mem_free(c->pos);
    mem_free(c->def_of);
    mem_free(c->comp_pos);
    mem_free(c->comp_off);
    Py_XDECREF(c->warnings);
    Py_XDECREF(c->error);
    Py_XDECREF(c->stopped);
}

/* decode(data, wanted) -> (error kind, message) or
 * (0, tables, raw groups, warnings, n_files, n_messages, located, times converted) */
static PyObject *decode(PyObject *self, PyObject *args) {
    Py_buffer buffer;
    PyObject *wanted;
    if (!PyArg_ParseTuple(args, "y*O", &buffer, &wanted)) return NULL;
    if (!np_empty) {
        PyBuffer_Release(&buffer);
        PyErr_SetString(PyExc_RuntimeError, "_fitcore.init was not called");
        return NULL;
    }
    Ctx c;
    memset(&c, 0, sizeof c);
    c.d = buffer.buf;
    c.len = buffer.len;
    c.warnings = PyList_New(0);
    PyObject *result = NULL;
    Decode z = {&c, NULL, NULL, 0, 0};
    if (!c.warnings) goto done;
    int r = scan(&c);
    if (r < 0) goto done;
    if (r) {
        result = Py_BuildValue("(iO)", c.error_kind, c.error);
        goto done;
    }
    if (plan_definitions(&z, wanted) < 0 || allocate(&z) < 0 || fill(&z) < 0) goto done;
    int converted = convert_times(&z);
    if (converted < 0) goto done;
    PyObject *tables = tables_dict(&z);
    PyObject *groups = tables ? raw_groups(&z, wanted) : NULL;
    PyObject *where = groups ? located(&c) : NULL;
    if (where)
        result = Py_BuildValue("(iOOOinOO)", 0, tables, groups, c.warnings, c.n_files, c.n_msgs, where,
                               converted ? Py_True : Py_False);
    Py_XDECREF(tables);
    Py_XDECREF(groups);
    Py_XDECREF(where);
done:
    if (!result && !PyErr_Occurred()) PyErr_NoMemory();
    free_decode(&z);
    free_ctx(&c);
    PyBuffer_Release(&buffer);
    return result;
}

/* init(profile, numpy.empty, (epoch, max seconds, relative limit)): profile = {message
 * number: [(field number, name, scale, offset, is_time), ...]} */
static PyObject *init(PyObject *self, PyObject *args) {
    PyObject *spec, *empty;
    if (!PyArg_ParseTuple(args, "O!O(ddd)", &PyDict_Type, &spec, &empty, &FIT_EPOCH_S, &MAX_FIT_SECONDS,
                          &RELATIVE_LIMIT_S))
        return NULL;
    Py_ssize_t i = 0;
    PyObject *key, *fields;
    while (PyDict_Next(spec, &i, &key, &fields)) {
        long num = PyLong_AsLong(key);
        if (num < 0 || num > 65535) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "message number out of range");
            return NULL;
        }
        if (!profiles[num]) {
            profiles[num] = mem_calloc(1, sizeof(MsgProf));
            if (!profiles[num]) return PyErr_NoMemory();
        }
        PyObject *seq = PySequence_Fast(fields, "fields must be a sequence");
        if (!seq) return NULL;
        for (Py_ssize_t k = 0; k < PySequence_Fast_GET_SIZE(seq); k++) {
            int fnum, is_time;
            PyObject *name;
            double scale, offset;
            if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, k), "iUddp", &fnum, &name, &scale, &offset,
                                  &is_time) ||
                fnum < 0 || fnum > 255) {
                Py_DECREF(seq);
                if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "field number out of range");
                return NULL;
            }
            FieldProf *fp = profiles[num]->by_num[fnum];
            if (!fp) {
                fp = mem_calloc(1, sizeof(FieldProf));
                if (!fp) {
                    Py_DECREF(seq);
                    return PyErr_NoMemory();
                }
                profiles[num]->by_num[fnum] = fp;
            } else {
                Py_XDECREF(fp->name);
            }
            Py_INCREF(name);
            PyUnicode_InternInPlace(&name);
            fp->name = name;
            fp->scale = scale;
            fp->offset = offset;
            fp->is_time = is_time;
        }
        Py_DECREF(seq);
    }
    Py_XDECREF(np_empty);
    Py_INCREF(empty);
    np_empty = empty;
    if (!name_timestamp) name_timestamp = PyUnicode_InternFromString("timestamp");
    if (!name_start_time) name_start_time = PyUnicode_InternFromString("start_time");
    if (!name_timestamp || !name_start_time) return NULL;
    if (check_direct_data() < 0 || find_numpy_api() < 0) return NULL;
    Py_RETURN_NONE;
}

static PyObject *crc(PyObject *self, PyObject *args) {
    Py_buffer buffer;
    if (!PyArg_ParseTuple(args, "y*", &buffer)) return NULL;
    uint16_t value = crc16(buffer.buf, buffer.len);
    PyBuffer_Release(&buffer);
    return PyLong_FromLong(value);
}

/* fields(block, [(key, offset, size, base type), ...], big_endian) -> {key: column}: the
 * fields of every row of a 2-D uint8 block as fit_columns.decode_fields gives them
 * (strings as lists), or None when the block is not a 2-D byte array with rows of
 * contiguous bytes. */
static PyObject *fields(PyObject *self, PyObject *args) {
    PyObject *block, *specs;
    int big;
    if (!PyArg_ParseTuple(args, "OOp", &block, &specs, &big)) return NULL;
    Py_buffer view;
    if (PyObject_GetBuffer(block, &view, PyBUF_STRIDED_RO | PyBUF_FORMAT) < 0) {
        PyErr_Clear();
        Py_RETURN_NONE;
    }
    if (view.ndim != 2 || view.itemsize != 1 || view.strides[1] != 1 ||
        (view.format && strcmp(view.format, "B") != 0)) {
        PyBuffer_Release(&view);
        Py_RETURN_NONE;
    }
    Py_ssize_t n = view.shape[0], stride = view.strides[0];
    const uint8_t *rows = view.buf;
    PyObject *out = PyDict_New();
    PyObject *numbers = PyList_New(0); /* (key, offset, kind, count) of numeric fields */
    PyObject *seq = PySequence_Fast(specs, "fields must be a sequence");
    if (!out || !numbers || !seq) goto error;
    for (Py_ssize_t i = 0; i < PySequence_Fast_GET_SIZE(seq); i++) {
        PyObject *key;
        int offset, size, base_type;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i), "Oiii", &key, &offset, &size, &base_type))
            goto error;
        int seen = PyDict_Contains(out, key);
        if (seen < 0) goto error;
        for (Py_ssize_t k = 0; !seen && k < PyList_GET_SIZE(numbers); k++) {
            seen = PyObject_RichCompareBool(PyTuple_GET_ITEM(PyList_GET_ITEM(numbers, k), 0), key, Py_EQ);
            if (seen < 0) goto error;
        }
        if (seen) continue; /* a field number defined twice: the first one counts */
        if (offset < 0 || size < 0 || offset + size > view.shape[1]) { /* numpy's case */
            Py_DECREF(out);
            Py_DECREF(numbers);
            Py_DECREF(seq);
            PyBuffer_Release(&view);
            Py_RETURN_NONE;
        }
        int kind = base_type & 0x1F;
        if (kind == STRING_TYPE) {
            PyObject *texts = PyList_New(n);
            if (!texts) goto error;
            for (Py_ssize_t r = 0; r < n; r++) {
                PyObject *text = string_of(rows + r * stride + offset, size);
                if (!text) {
                    Py_DECREF(texts);
                    goto error;
                }
                PyList_SET_ITEM(texts, r, text);
            }
            int failed = PyDict_SetItem(out, key, texts) < 0;
            Py_DECREF(texts);
            if (failed) goto error;
        } else if (kind <= 0x10 && size && size % base_size[kind] == 0) {
            PyObject *item = Py_BuildValue("(Oiii)", key, offset, kind, size / base_size[kind]);
            if (!item || PyList_Append(numbers, item) < 0) {
                Py_XDECREF(item);
                goto error;
            }
            Py_DECREF(item);
        }
    }
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(numbers); k++) {
        PyObject *item = PyList_GET_ITEM(numbers, k);
        PyObject *key = PyTuple_GET_ITEM(item, 0);
        int offset = (int)PyLong_AsLong(PyTuple_GET_ITEM(item, 1));
        int kind = (int)PyLong_AsLong(PyTuple_GET_ITEM(item, 2));
        int count = (int)PyLong_AsLong(PyTuple_GET_ITEM(item, 3));
        if (!n) count = 1; /* no rows: an empty 1-D column, as decode_fields gives */
        void *data;
        PyObject *column = new_array(n, count, NULL, &data);
        if (!column) goto error;
        double *values = data;
        int step = base_size[kind];
        for (Py_ssize_t r = 0; r < n; r++) {
            const uint8_t *at = rows + r * stride + offset;
            double *o = values + r * count;
            if (kind == BYTE_TYPE && count > 1) {
                int all = 1;
                for (int q = 0; q < count; q++)
                    if (at[q] != 0xFF) all = 0;
                for (int q = 0; q < count; q++) o[q] = all ? NAN : (double)at[q];
            } else {
                for (int q = 0; q < count; q++) o[q] = value_of(at + q * step, kind, big);
            }
        }
        int failed = PyDict_SetItem(out, key, column) < 0;
        Py_DECREF(column);
        if (failed) goto error;
    }
    Py_DECREF(numbers);
    Py_DECREF(seq);
    PyBuffer_Release(&view);
    return out;
error:
    Py_XDECREF(out);
    Py_XDECREF(numbers);
    Py_XDECREF(seq);
    PyBuffer_Release(&view);
    return NULL;
}

/* A 1-D float64 array's data, or NULL (no exception) when it is something else. */
static double *float_data(PyObject *array, Py_buffer *view) {
    if (PyObject_GetBuffer(array, view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
        PyErr_Clear();
        return NULL;
    }
    if (view->ndim != 1 || view->itemsize != 8 || !view->format || strcmp(view->format, "d") != 0) {
        PyBuffer_Release(view);
        return NULL;
    }
    return view->buf;
}

/* times(seconds, epoch, limit) -> int64 Unix milliseconds of FIT seconds (NaN, inf, |s| > limit: NaT), or
 * None when `seconds` is not a 1-D float64 array. */
static PyObject *times(PyObject *self, PyObject *args) {
    PyObject *array;
    double epoch, limit;
    if (!PyArg_ParseTuple(args, "Odd", &array, &epoch, &limit)) return NULL;
    Py_buffer view;
    double *values = float_data(array, &view);
    if (!values) Py_RETURN_NONE;
    Py_ssize_t n = view.shape ? view.shape[0] : view.len / 8;
    void *data;
    PyObject *out = new_array(n, 1, "int64", &data); /* viewed as datetime64[ms] */
    if (out) {
        int64_t *ms = data;
        for (Py_ssize_t i = 0; i < n; i++) {
            double v = values[i];
            ms[i] = (isfinite(v) && fabs(v) <= limit) ? (int64_t)((v + epoch) * 1000.0) : INT64_MIN;
        }
    }
    PyBuffer_Release(&view);
    return out;
}

/* any_below(values, limit) -> whether a finite value is below limit; None when `values`
 * is not a 1-D float64 array. */
static PyObject *any_below(PyObject *self, PyObject *args) {
    PyObject *array;
    double limit;
    if (!PyArg_ParseTuple(args, "Od", &array, &limit)) return NULL;
    Py_buffer view;
    double *values = float_data(array, &view);
    if (!values) Py_RETURN_NONE;
    Py_ssize_t n = view.shape ? view.shape[0] : view.len / 8;
    int found = 0;
    for (Py_ssize_t i = 0; i < n && !found; i++) found = isfinite(values[i]) && values[i] < limit;
    PyBuffer_Release(&view);
    return PyBool_FromLong(found);
}

/* A 1-D array of 8-byte integers (kind 'i') or floats (kind 'f'), or NULL (no exception). */
static void *array_of(PyObject *array, Py_buffer *view, char kind, Py_ssize_t *n) {
    if (PyObject_GetBuffer(array, view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
        PyErr_Clear();
        return NULL;
    }
    const char *f = view->format ? view->format : "B";
    if (*f == '<' || *f == '=' || *f == '@') f++;
    int ok = view->ndim == 1 && view->itemsize == 8 &&
             (kind == 'f' ? strcmp(f, "d") == 0 : (strcmp(f, "l") == 0 || strcmp(f, "q") == 0));
    if (!ok) {
        PyBuffer_Release(view);
        return NULL;
    }
    *n = view->shape ? view->shape[0] : view->len / 8;
    return view->buf;
}

/* any_number(values) -> whether a 1-D float64 array holds a value that is not NaN; None
 * when `values` is something else. */
static PyObject *any_number(PyObject *self, PyObject *args) {
    PyObject *array;
    if (!PyArg_ParseTuple(args, "O", &array)) return NULL;
    Py_buffer view;
    double *values = float_data(array, &view);
    if (!values) Py_RETURN_NONE;
    Py_ssize_t n = view.shape ? view.shape[0] : view.len / 8;
    int found = 0;
    for (Py_ssize_t i = 0; i < n && !found; i++) found = !isnan(values[i]);
    PyBuffer_Release(&view);
    return PyBool_FromLong(found);
}

/* compressed(orders, offsets, previous, full_order, full_time) -> float64 times of the
 * compressed-header messages (fit_decode._resolve_compressed's loop), or None when an
 * argument is not the expected 1-D array. */
static PyObject *compressed_times(PyObject *self, PyObject *args) {
    PyObject *objects[5];
    if (!PyArg_ParseTuple(args, "OOOOO", &objects[0], &objects[1], &objects[2], &objects[3], &objects[4]))
        return NULL;
    Py_buffer views[5];
    void *data[5];
    Py_ssize_t sizes[5];
    int got = 0;
    for (; got < 5; got++) {
        data[got] = array_of(objects[got], &views[got], got == 4 ? 'f' : 'i', &sizes[got]);
        if (!data[got]) break;
    }
    PyObject *out = NULL;
    if (got < 5 || sizes[1] != sizes[0] || sizes[2] != sizes[0] || sizes[4] != sizes[3]) {
        Py_INCREF(Py_None);
        out = Py_None;
        goto done;
    }
    const int64_t *orders = data[0], *offsets = data[1], *previous = data[2], *full_order = data[3];
    const double *full_time = data[4];
    for (Py_ssize_t k = 0; k < sizes[4]; k++)
        if (!(fabs(full_time[k]) < 4e18)) { /* inf or beyond int64: the Python loop decides */
            Py_INCREF(Py_None);
            out = Py_None;
            goto done;
        }
    void *buf;
    out = new_array(sizes[0], 1, NULL, &buf);
    if (!out) goto done;
    double *resolved = buf;
    int have = 0;
    int64_t last = 0, last_order = -1;
    for (Py_ssize_t k = 0; k < sizes[0]; k++) {
        int64_t i = previous[k];
        if (i >= 0 && i < sizes[3] && full_order[i] > last_order) {
            last = (int64_t)full_time[i];
            have = 1;
        }
        if (!have) {
            resolved[k] = NAN;
            continue;
        }
        last += (offsets[k] - last) & 0x1F;
        last_order = orders[k];
        resolved[k] = (double)last;
    }
done:
    for (int k = 0; k < got; k++) PyBuffer_Release(&views[k]);
    return out;
}

/* ---- strap heart rate (fit_hr.merged_heart_rate's steps after the columns) -------- */

/* A C-contiguous float64 array of 1 or 2 dimensions as rows x width, or NULL (no
 * exception) when it is something else. */
static double *float_rows(PyObject *array, Py_buffer *view, Py_ssize_t *rows, Py_ssize_t *width) {
    if (PyObject_GetBuffer(array, view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) {
        PyErr_Clear();
        return NULL;
    }
    const char *f = view->format ? view->format : "B";
    if (*f == '<' || *f == '=' || *f == '@') f++;
    if (view->itemsize != 8 || strcmp(f, "d") != 0 || view->ndim < 1 || view->ndim > 2 || !view->shape) {
        PyBuffer_Release(view);
        return NULL;
    }
    *rows = view->shape[0];
    *width = view->ndim == 2 ? view->shape[1] : 1;
    return view->buf;
}

/* Python's float modulo: the result takes the divisor's sign. */
static double py_mod(double a, double b) {
    double r = fmod(a, b);
    if (r != 0.0 && ((r < 0.0) != (b < 0.0))) r += b;
    return r;
}

/* The index of the first value of sorted `t` (n values) greater than `key` (NaN: n),
 * searched outward from `hint` (the previous answer: record times mostly increase). */
static Py_ssize_t after(const double *t, Py_ssize_t n, double key, Py_ssize_t hint) {
    if (isnan(key)) return n;
    Py_ssize_t lo = hint < 0 ? 0 : hint > n ? n : hint, hi, step = 1;
    if (lo > 0 && key < t[lo - 1]) { /* the answer is before the hint */
        hi = lo - 1;
        lo = hi;
        while (lo > 0 && key < t[lo - 1]) {
            hi = lo - 1;
            lo = hi >= step ? hi - step : 0;
            step <<= 1;
        }
    } else { /* every value before lo is <= key */
        hi = lo;
        while (hi < n && t[hi] <= key) {
            lo = hi + 1;
            hi = n - lo > step ? lo + step : n;
            step <<= 1;
        }
    }
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        if (key < t[mid]) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

/* Stable ascending order of times (no NaN among them): a merge sort of (time, value). */
static void sort_pairs(double *t, double *v, double *tt, double *vv, Py_ssize_t n) {
    for (Py_ssize_t width = 1; width < n; width *= 2) {
        for (Py_ssize_t lo = 0; lo < n; lo += 2 * width) {
            Py_ssize_t mid = lo + width < n ? lo + width : n;
            Py_ssize_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            Py_ssize_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                if (t[j] < t[i]) { tt[k] = t[j]; vv[k++] = v[j++]; }
                else { tt[k] = t[i]; vv[k++] = v[i++]; }
            }
            while (i < mid) { tt[k] = t[i]; vv[k++] = v[i++]; }
            while (j < hi) { tt[k] = t[j]; vv[k++] = v[j++]; }
        }
        memcpy(t, tt, (size_t)n * sizeof(double));
        memcpy(v, vv, (size_t)n * sizeof(double));
    }
}

#define HR_TICKS 1024.0
#define HR_ROLLOVER 4096.0
#define HR_MAX_STEPS 20

/* hr_merge(bpm, full, packed, anchors, record_s) -> per-record bpm (float64, NaN where
 * none), 0 when no beat can be placed, or None when an input is not as expected (the
 * Python steps then run). bpm, full (event_timestamp in s) and packed
 * (event_timestamp_12 bytes) are rows of the hr messages (full, packed may be None);
 * anchors are their timestamps in s plus the fractional part. */
static PyObject *hr_merge(PyObject *self, PyObject *args) {
    PyObject *objects[5];
    if (!PyArg_ParseTuple(args, "OOOOO", &objects[0], &objects[1], &objects[2], &objects[3], &objects[4]))
        return NULL;
    Py_buffer views[5];
    double *data[5] = {NULL, NULL, NULL, NULL, NULL};
    Py_ssize_t rows[5] = {0}, width[5] = {0};
    int held[5] = {0};
    PyObject *out = NULL;
    double *work = NULL;
    for (int a = 0; a < 5; a++) {
        if (objects[a] == Py_None && (a == 1 || a == 2)) continue;
        data[a] = float_rows(objects[a], &views[a], &rows[a], &width[a]);
        if (!data[a]) goto fallback;
        held[a] = 1;
    }
    Py_ssize_t n = rows[0], wb = width[0], m = rows[4];
    if (rows[3] != n || width[3] != 1 || width[4] != 1 || m < 1 || (data[1] && rows[1] != n) ||
        (data[2] && rows[2] != n))
        goto fallback;
    const double *bpm = data[0], *full = data[1], *packed = data[2], *anchors = data[3];
    const double *record_s = data[4];
    Py_ssize_t wf = data[1] ? width[1] : 0;
    Py_ssize_t wp = data[2] && width[2] >= 3 ? width[2] / 3 * 3 : 0; /* bytes used */
    Py_ssize_t np12 = wp / 3 * 2;                                    /* 12-bit values per row */
    if (wp)
        for (Py_ssize_t r = 0; r < n; r++)
            for (Py_ssize_t c = 0; c < wp; c++) {
                double b = packed[r * width[2] + c];
                if (isfinite(b) && !(b >= 0.0 && b < 9007199254740992.0 && b == floor(b)))
                    goto fallback; /* not a byte: the Python steps decide */
            }
    /* every finite bpm value, row by row: its message, ticks (full or 12-bit), value */
    Py_ssize_t cap = n * wb;
    if (cap < 1) cap = 1;
    Py_ssize_t extra_cap = cap * (HR_MAX_STEPS + 1); /* with the carried values */
    work = PyMem_Malloc((size_t)(cap * 6 + extra_cap * 4) * sizeof(double));
    if (!work) {
        PyErr_NoMemory();
        goto done;
    }
    double *ticks_full = work, *low = work + cap, *value = work + 2 * cap, *ticks = work + 3 * cap;
    double *msg = work + 4 * cap, *times = work + 5 * cap;
    double *all_t = work + 6 * cap, *all_v = all_t + extra_cap, *tmp_t = all_v + extra_cap,
           *tmp_v = tmp_t + extra_cap;
    Py_ssize_t used = 0;
    for (Py_ssize_t r = 0; r < n; r++) {
        int row_ok = 1;
        for (Py_ssize_t c = 0; c < wp; c++) row_ok &= isfinite(packed[r * width[2] + c]) != 0;
        for (Py_ssize_t k = 0; k < wb; k++) {
            double v = bpm[r * wb + k];
            if (!isfinite(v)) continue;
            double f = k < wf ? rint(full[r * wf + k] * HR_TICKS) : NAN;
            double l = NAN;
            if (k < np12 && row_ok) {
                const double *p = packed + r * width[2] + (k / 2) * 3;
                int64_t b0 = (int64_t)p[0], b1 = (int64_t)p[1], b2 = (int64_t)p[2];
                l = (double)(k % 2 == 0 ? (b0 | (b1 & 0x0F) << 8) : (b1 >> 4 | b2 << 4));
            }
            if (!isfinite(f) && !isfinite(l)) continue;
            ticks_full[used] = f;
            low[used] = l;
            value[used] = v;
            msg[used] = (double)r;
            used++;
        }
    }
    /* ticks: a full value restarts the count, each 12-bit value adds its increment */
    double running = 0.0, base = 0.0, at_base = 0.0, previous_low = 0.0;
    int have_base = 0;
    for (Py_ssize_t j = 0; j < used; j++) {
        int is_full = isfinite(ticks_full[j]);
        double own_low = is_full ? py_mod(ticks_full[j], HR_ROLLOVER) : low[j];
        double step = j == 0 || is_full ? 0.0 : py_mod(own_low - previous_low, HR_ROLLOVER);
        previous_low = own_low;
        running += step;
        if (is_full) {
            base = ticks_full[j];
            at_base = running;
            have_base = 1;
        }
        ticks[j] = have_base ? base + running - at_base : NAN;
    }
    /* times: an anchor message pins its first event time; later ones count from it */
    Py_ssize_t latest = -1, kept = 0;
    for (Py_ssize_t j = 0; j < used; j++) {
        Py_ssize_t r = (Py_ssize_t)msg[j];
        int first = j == 0 || msg[j] != msg[j - 1];
        if (first && isfinite(anchors[r])) latest = j;
        double seconds = ticks[j] / HR_TICKS;
        times[j] = latest >= 0
                       ? anchors[(Py_ssize_t)msg[latest]] + seconds - ticks[latest] / HR_TICKS
                       : NAN;
    }
    for (Py_ssize_t j = 0; j < used; j++)
        if (isfinite(times[j]) && value[j] > 0) {
            times[kept] = times[j];
            value[kept++] = value[j];
        }
    if (!kept) {
        out = PyLong_FromLong(0);
        goto done;
    }
    /* carry each value forward in 0.25 s steps over gaps, for at most 5 s */
    Py_ssize_t total = 0;
    for (Py_ssize_t j = 0; j < kept; j++) {
        all_t[total] = times[j];
        all_v[total++] = value[j];
        if (j + 1 == kept) break;
        double gap_ms = fabs(times[j + 1] - times[j]) * 1000.0;
        double e = ceil(gap_ms / 250.0 - 1e-9) - 1;
        int extra = !(e > 0) ? 0 : e > HR_MAX_STEPS ? HR_MAX_STEPS : (int)e;
        for (int s = 1; s <= extra; s++) {
            all_t[total] = times[j] + 0.25 * s;
            all_v[total++] = value[j];
        }
    }
    int sorted = 1;
    for (Py_ssize_t j = 1; j < total && sorted; j++) sorted = !(all_t[j] < all_t[j - 1]);
    if (!sorted) sort_pairs(all_t, all_v, tmp_t, tmp_v, total);
    double *sums = tmp_t; /* sums[i]: the first i values added in order */
    sums[0] = 0.0;
    for (Py_ssize_t j = 0; j < total; j++) sums[j + 1] = sums[j] + all_v[j];
    void *buf;
    out = new_array(m, 1, NULL, &buf);
    if (!out) goto done;
    double *merged = buf;
    Py_ssize_t lo = 0, hi = 0;
    for (Py_ssize_t i = 0; i < m; i++) {
        double end = record_s[i];
        double start = i == 0 ? end - 1.0 : record_s[i - 1];
        if (start >= end) start = end - 1.0;
        lo = after(all_t, total, start, lo);
        hi = after(all_t, total, end, hi);
        Py_ssize_t count = hi - lo;
        merged[i] = isfinite(end) && count > 0
                        ? floor((sums[hi] - sums[lo]) / (double)count + 0.5)
                        : NAN;
    }
    goto done;
fallback:
    Py_INCREF(Py_None);
    out = Py_None;
done:
    PyMem_Free(work);
    for (int a = 0; a < 5; a++)
        if (held[a]) PyBuffer_Release(&views[a]);
    return out;
}

/* ---- compressed speed/distance and compressed-header times (fit_decode's steps) ---- */

/* speed_distance(packed) -> (speed, distance): record.compressed_speed_distance split as
 * fit_decode._expand_speed_distance does (12-bit speed in 1/100 m/s, 12-bit rolling
 * distance in 1/16 m), or None when the column is not rows of byte values. */
/* Whether rows of packed speed/distance bytes (n x w, w >= 3) are what the split is made
 * for: bytes or NaN. */
static int packed_bytes(const double *packed, Py_ssize_t n, Py_ssize_t w) {
    for (Py_ssize_t i = 0; i < n; i++)
        for (int c = 0; c < 3; c++) {
            double b = packed[i * w + c];
            if (!isnan(b) && !(b >= 0.0 && b < 2147483648.0 && b == floor(b))) return 0;
        }
    return 1;
}

/* The split of record.compressed_speed_distance rows: speed (m/s) and rolling distance. */
static void split_packed(const double *packed, Py_ssize_t n, Py_ssize_t w, double *s, double *d) {
    int64_t previous = 0, total = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const double *p = packed + i * w;
        if (isnan(p[0])) {
            s[i] = d[i] = NAN;
            continue;
        }
        int64_t b0 = (int64_t)p[0], b1 = isnan(p[1]) ? 0 : (int64_t)p[1], b2 = isnan(p[2]) ? 0 : (int64_t)p[2];
        s[i] = (double)(b0 | (b1 & 0x0F) << 8) / 100.0;
        int64_t d12 = b1 >> 4 | b2 << 4;
        total += (d12 - previous) & 0xFFF;
        previous = d12;
        d[i] = (double)total / 16.0;
    }
}

static PyObject *speed_distance(PyObject *self, PyObject *args) {
    PyObject *array;
    if (!PyArg_ParseTuple(args, "O", &array)) return NULL;
    Py_buffer view;
    Py_ssize_t n, w;
    double *packed = float_rows(array, &view, &n, &w);
    if (!packed) Py_RETURN_NONE;
    PyObject *out = NULL, *speed = NULL, *distance = NULL;
    if (w < 3 || !packed_bytes(packed, n, w)) goto fallback;
    void *sbuf, *dbuf;
    speed = new_array(n, 1, NULL, &sbuf);
    distance = speed ? new_array(n, 1, NULL, &dbuf) : NULL;
    if (!distance) goto done;
    split_packed(packed, n, w, sbuf, dbuf);
    out = PyTuple_Pack(2, speed, distance);
    goto done;
fallback:
    Py_INCREF(Py_None);
    out = Py_None;
done:
    Py_XDECREF(speed);
    Py_XDECREF(distance);
    PyBuffer_Release(&view);
    return out;
}

/* The first index of sorted int64 `v` (n values) not below `key` (numpy's searchsorted),
 * walking from `from`, the answer for a key not above this one (keys come in order). */
static Py_ssize_t not_below(const int64_t *v, Py_ssize_t n, int64_t key, Py_ssize_t from) {
    while (from < n && v[from] < key) from++;
    return from;
}

/* The walk of the file order behind compressed-header times: each one is the latest full
 * timestamp before it (full_at[k], NaN: none; by file order), or the previous compressed
 * time when that is later, advanced by its 5-bit offset. comp_order: the compressed
 * messages' file orders, ascending. Whether some were left empty (no full time before). */
static int compressed_walk(const double *full_at, const Py_ssize_t *comp_order, const int64_t *offsets,
                           Py_ssize_t m, double *resolved) {
    int have = 0, empty = 0;
    int64_t last = 0;
    Py_ssize_t next = 0, latest = -1, last_order = -1;
    for (Py_ssize_t k = 0; k < m; k++) {
        for (; next < comp_order[k]; next++)
            if (!isnan(full_at[next])) latest = next;
        if (latest >= 0 && latest > last_order) {
            last = (int64_t)full_at[latest];
            have = 1;
        }
        if (!have) {
            resolved[k] = NAN;
            empty = 1;
            continue;
        }
        last += (offsets[k] - last) & 0x1F;
        last_order = comp_order[k];
        resolved[k] = (double)last;
    }
    return empty;
}

/* place_compressed(positions, global_of, comp_pos, comp_offset, [(num, order, stamp)])
 * -> (some left empty, [(num, new stamp)]): fit_decode._resolve_compressed's steps. Each
 * compressed-header message's time is the latest full timestamp before it (or the
 * previous compressed time when that is later), advanced by its 5-bit offset; `stamp` is a
 * table's float64 timestamp column or None. None when an input is not as expected. */
static PyObject *place_compressed(PyObject *self, PyObject *args) {
    PyObject *objects[4], *tables;
    if (!PyArg_ParseTuple(args, "OOOOO!", &objects[0], &objects[1], &objects[2], &objects[3],
                          &PyList_Type, &tables))
        return NULL;
    Py_buffer views[4];
    int64_t *data[4];
    Py_ssize_t sizes[4];
    int got = 0;
    PyObject *out = NULL, *placed = NULL;
    double *full_at = NULL, *resolved = NULL;
    Py_ssize_t *comp_order = NULL;
    for (; got < 4; got++) {
        data[got] = array_of(objects[got], &views[got], 'i', &sizes[got]);
        if (!data[got]) goto fallback;
    }
    Py_ssize_t n = sizes[0], m = sizes[2], n_tables = PyList_GET_SIZE(tables);
    if (sizes[1] != n || sizes[3] != m) goto fallback;
    full_at = PyMem_Malloc((size_t)(n ? n : 1) * sizeof(double));
    resolved = PyMem_Malloc((size_t)(m ? m : 1) * sizeof(double));
    comp_order = PyMem_Malloc((size_t)(m ? m : 1) * sizeof(Py_ssize_t));
    if (!full_at || !resolved || !comp_order) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) full_at[i] = NAN;
    for (Py_ssize_t t = 0; t < n_tables; t++) { /* every full timestamp, by file order */
        PyObject *item = PyList_GET_ITEM(tables, t);
        if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 3) goto fallback;
        PyObject *stamp = PyTuple_GET_ITEM(item, 2);
        if (stamp == Py_None) continue;
        Py_buffer ov, sv;
        Py_ssize_t rows, count;
        int64_t *order = array_of(PyTuple_GET_ITEM(item, 1), &ov, 'i', &rows);
        if (!order) goto fallback;
        double *values = float_data(stamp, &sv);
        if (!values) {
            PyBuffer_Release(&ov);
            goto fallback;
        }
        count = sv.shape ? sv.shape[0] : sv.len / 8;
        int ok = count == rows;
        for (Py_ssize_t r = 0; ok && r < rows; r++) {
            if (order[r] < 0 || order[r] >= n || (r && order[r] <= order[r - 1])) ok = 0;
            else if (!isnan(values[r])) {
                if (!(fabs(values[r]) < 4e18)) ok = 0; /* beyond int64: Python decides */
                else full_at[order[r]] = values[r];
            }
        }
        PyBuffer_Release(&sv);
        PyBuffer_Release(&ov);
        if (!ok) goto fallback;
    }
    const int64_t *positions = data[0], *comp_pos = data[2], *offsets = data[3];
    for (Py_ssize_t i = 1; i < n; i++)
        if (positions[i] < positions[i - 1]) goto fallback; /* the walks need file order */
    for (Py_ssize_t k = 0; k < m; k++) {
        if (k && comp_pos[k] < comp_pos[k - 1]) goto fallback; /* not in file order */
        comp_order[k] = not_below(positions, n, comp_pos[k], k ? comp_order[k - 1] : 0);
        if (comp_order[k] >= n) goto fallback;
    }
    int empty = compressed_walk(full_at, comp_order, offsets, m, resolved);
    /* write them into their tables' timestamp columns */
    placed = PyList_New(0);
    if (!placed) goto done;
    const int64_t *global_of = data[1];
    for (Py_ssize_t t = 0; t < n_tables; t++) {
        PyObject *item = PyList_GET_ITEM(tables, t);
        long num = PyLong_AsLong(PyTuple_GET_ITEM(item, 0));
        if (num == -1 && PyErr_Occurred()) goto done;
        Py_ssize_t mine = 0;
        for (Py_ssize_t k = 0; k < m; k++) mine += global_of[comp_order[k]] == num;
        if (!mine) continue;
        Py_buffer ov, sv;
        Py_ssize_t rows;
        int64_t *order = array_of(PyTuple_GET_ITEM(item, 1), &ov, 'i', &rows);
        if (!order) goto fallback;
        PyObject *stamp = PyTuple_GET_ITEM(item, 2);
        double *values = stamp == Py_None ? NULL : float_data(stamp, &sv);
        void *buf;
        PyObject *column = new_array(rows, 1, NULL, &buf);
        if (!column) {
            if (values) PyBuffer_Release(&sv);
            PyBuffer_Release(&ov);
            goto done;
        }
        double *times = buf;
        for (Py_ssize_t r = 0; r < rows; r++) times[r] = values ? values[r] : NAN;
        if (values) PyBuffer_Release(&sv);
        int ok = 1;
        Py_ssize_t at = 0;
        for (Py_ssize_t k = 0; k < m && ok; k++) {
            if (global_of[comp_order[k]] != num) continue;
            at = not_below(order, rows, comp_order[k], at);
            if (at >= rows) ok = 0;
            else times[at] = resolved[k];
        }
        PyBuffer_Release(&ov);
        PyObject *pair = ok ? Py_BuildValue("(lN)", num, column) : NULL;
        if (!ok) Py_DECREF(column);
        if (!ok) goto fallback;
        if (!pair || PyList_Append(placed, pair) < 0) {
            Py_XDECREF(pair);
            goto done;
        }
        Py_DECREF(pair);
    }
    out = Py_BuildValue("(OO)", empty ? Py_True : Py_False, placed);
    goto done;
fallback:
    Py_INCREF(Py_None);
    out = Py_None;
done:
    Py_XDECREF(placed);
    PyMem_Free(full_at);
    PyMem_Free(resolved);
    PyMem_Free(comp_order);
    for (int k = 0; k < got; k++) PyBuffer_Release(&views[k]);
    return out;
}

/* shifted(values, offset, limit) -> a copy of a 1-D float64 array with `offset` added to
 * every finite value below `limit` (fit_time's relative times), False when no value is
 * such, None when `values` is something else. */
static PyObject *shifted(PyObject *self, PyObject *args) {
    PyObject *array;
    double offset, limit;
    if (!PyArg_ParseTuple(args, "Odd", &array, &offset, &limit)) return NULL;
    Py_buffer view;
    double *values = float_data(array, &view);
    if (!values) Py_RETURN_NONE;
    Py_ssize_t n = view.shape ? view.shape[0] : view.len / 8, first = 0;
    while (first < n && !(isfinite(values[first]) && values[first] < limit)) first++;
    PyObject *out;
    if (first == n) {
        Py_INCREF(Py_False);
        out = Py_False;
    } else {
        void *buf;
        out = new_array(n, 1, NULL, &buf);
        if (out) {
            double *moved = buf;
            for (Py_ssize_t i = 0; i < n; i++) {
                double v = values[i];
                moved[i] = isfinite(v) && v < limit ? v + offset : v;
            }
        }
    }
    PyBuffer_Release(&view);
    return out;
}

/* ---- the Activity in one call (fit.read_fit's steps, compiled) ------------------------
 *
 * activity(data, source_hash) builds the Activity that fit._read builds from the
 * same bytes, without the message tables in between: the scan and the field decoding
 * above, then the sport, the record channels (developer fields included), cadence, the
 * start time, the session totals, device, laps and legs, with compressed-header and
 * power-on-relative times placed and strap heart rate merged. It declines (None) on what it was not made for, and
 * read_fit runs the Python steps: errors, more than 16 sessions, inputs the compiled
 * steps above decline, or any exception on the way. Its results are tested to equal the
 * Python steps on every corpus file and on damaged copies. */

#include <datetime.h>
#include <structmember.h>

static struct {
    int ready;
    PyObject *activity_type, *samples_type, *lap_type, *leg_type;
    PyObject *sha256;                      /* hashlib.sha256 */
    PyObject *sports, *sub_sports, *makers, *products; /* enum dicts: int -> name */
    PyObject *garmin_makers;               /* frozenset of maker numbers */
    PyObject *on_foot;                     /* frozenset of sport names */
    PyObject *native;                      /* tuple of (channel, preferred, fallback|None) */
    int n_native;
    PyObject *native_channel_hr; /* "hr_bpm" (interned) */
    PyObject *native_channel[16], *native_first[16], *native_second[16]; /* interned; second may be None */
    PyObject *native_numbers;              /* dict: record field number -> channel */
    PyObject *dev_names;                   /* dict: lower-case developer name -> channel */
    PyObject *to_mm;                       /* dict: unit -> factor */
    PyObject *untimed, *undescribed, *early; /* warning templates (printf-style) */
    PyObject *plan; /* {message number: frozenset of field numbers | None} */
    PyObject *compressed_empty, *clock_unknown, *local_clock; /* warnings, as they are */
    PyObject *strap_merged;                                   /* a printf-style warning */
    double semicircle_deg;
    PyObject *empty_tuple, *s_fit, *s_multisport, *s_generic, *s_transition, *s_mm;
    /* profile field names (interned, so a pointer comparison finds a column) */
    PyObject *f_timestamp, *f_start_time, *f_sport, *f_sub_sport, *f_elapsed, *f_timer, *f_distance,
        *f_manufacturer, *f_product, *f_product_name, *f_time_created, *f_lat, *f_lon, *f_cadence,
        *f_fraction, *f_packed, *f_system_timestamp, *f_local_timestamp,
        *f_speed, *f_distance_record, *f_bpm, *f_event, *f_event_12, *f_fraction_s;
    /* channel names */
    PyObject *c_lat, *c_lon, *c_spm, *c_rpm, *c_vo, *c_distance;
    /* attribute names */
    PyObject *a_activity[15], *a_samples[2], *a_lap[3], *a_leg[4];
} K;

static const char *ACTIVITY_FIELDS[15] = {"sport", "sub_sport", "start_time", "duration_s", "moving_time_s",
                                          "distance_m", "device", "source_format", "source_hash", "samples",
                                          "laps", "name", "gear", "warnings", "legs"};
static const char *SAMPLES_FIELDS[2] = {"timestamp", "channels"};
static const char *LAP_FIELDS[3] = {"start_time", "duration_s", "distance_m"};
static const char *LEG_FIELDS[4] = {"sport", "start_time", "duration_s", "distance_m"};

#define NAT_MS INT64_MIN

static PyObject *interned(const char *text) { return PyUnicode_InternFromString(text); }

/* Where each field of a slotted dataclass lives in its instances: the offsets of its
 * member descriptors (object slots), found once; -1 when a field is something else, and
 * then instances are filled through PyObject_GenericSetAttr. */
static int slot_offsets(PyObject *type, PyObject **names, int n, Py_ssize_t *offsets) {
    for (int i = 0; i < n; i++) {
        offsets[i] = -1;
        PyObject *descr = PyObject_GetAttr(type, names[i]);
        if (!descr) {
            PyErr_Clear();
            continue;
        }
        if (Py_IS_TYPE(descr, &PyMemberDescr_Type)) {
            PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
            if (member->type == T_OBJECT_EX && !(member->flags & READONLY)) offsets[i] = member->offset;
        }
        Py_DECREF(descr);
    }
    return 0;
}

static Py_ssize_t activity_slots[15], samples_slots[2], lap_slots[3], leg_slots[4];

/* init_activity(kit): the classes, enum names, channel table and warnings the Activity
 * path needs, all from the Python modules that define them (fit_native.activity_kit). */
static PyObject *init_activity(PyObject *self, PyObject *args) {
    PyObject *kit;
    if (!PyArg_ParseTuple(args, "O!", &PyDict_Type, &kit)) return NULL;
    struct {
        const char *key;
        PyObject **slot;
    } items[] = {
        {"activity", &K.activity_type}, {"samples", &K.samples_type}, {"lap", &K.lap_type},
        {"leg", &K.leg_type}, {"sha256", &K.sha256}, {"sports", &K.sports}, {"sub_sports", &K.sub_sports},
        {"makers", &K.makers}, {"products", &K.products}, {"garmin_makers", &K.garmin_makers},
        {"on_foot", &K.on_foot}, {"native", &K.native}, {"native_numbers", &K.native_numbers},
        {"dev_names", &K.dev_names}, {"to_mm", &K.to_mm}, {"untimed", &K.untimed},
        {"undescribed", &K.undescribed}, {"early", &K.early}, {"plan", &K.plan},
        {"compressed_empty", &K.compressed_empty}, {"clock_unknown", &K.clock_unknown},
        {"local_clock", &K.local_clock}, {"strap_merged", &K.strap_merged},
    };
    for (size_t i = 0; i < sizeof items / sizeof items[0]; i++) {
        PyObject *value = PyDict_GetItemString(kit, items[i].key);
        if (!value) return PyErr_Format(PyExc_KeyError, "activity kit lacks %s", items[i].key);
        Py_INCREF(value);
        Py_XSETREF(*items[i].slot, value);
    }
    PyObject *semi = PyDict_GetItemString(kit, "semicircle_deg");
    if (!semi || (K.semicircle_deg = PyFloat_AsDouble(semi)) == -1.0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_KeyError, "activity kit lacks semicircle_deg");
        return NULL;
    }
    if (!PyTuple_Check(K.native) || PyTuple_GET_SIZE(K.native) > 16)
        return PyErr_Format(PyExc_TypeError, "native must be a tuple of at most 16 rows");
    K.n_native = (int)PyTuple_GET_SIZE(K.native);
    for (int i = 0; i < K.n_native; i++) {
        PyObject *row = PyTuple_GET_ITEM(K.native, i);
        if (!PyTuple_Check(row) || PyTuple_GET_SIZE(row) != 3)
            return PyErr_Format(PyExc_TypeError, "native rows are (channel, preferred, fallback)");
        PyObject **slots[3] = {&K.native_channel[i], &K.native_first[i], &K.native_second[i]};
        for (int k = 0; k < 3; k++) {
            PyObject *name = PyTuple_GET_ITEM(row, k);
            Py_INCREF(name);
            if (name != Py_None) PyUnicode_InternInPlace(&name); /* the profile's own object */
            Py_XSETREF(*slots[k], name);
        }
    }
    /* the channel names the dicts give, interned: channels are compared by identity */
    PyObject **dicts[2] = {&K.native_numbers, &K.dev_names};
    for (int k = 0; k < 2; k++) {
        PyObject *copy = PyDict_New();
        if (!copy) return NULL;
        Py_ssize_t pos = 0;
        PyObject *key, *value;
        while (PyDict_Next(*dicts[k], &pos, &key, &value)) {
            Py_INCREF(value);
            PyUnicode_InternInPlace(&value);
            int failed = PyDict_SetItem(copy, key, value) < 0;
            Py_DECREF(value);
            if (failed) {
                Py_DECREF(copy);
                return NULL;
            }
        }
        Py_SETREF(*dicts[k], copy);
    }
    memset(activity_plan_of, 0xFF, sizeof activity_plan_of);
    if (!PyDict_Check(K.plan) || PyDict_GET_SIZE(K.plan) > 32)
        return PyErr_Format(PyExc_TypeError, "plan must be a dict of at most 32 messages");
    Py_ssize_t at = 0;
    PyObject *number, *fields;
    int entries = 0;
    while (PyDict_Next(K.plan, &at, &number, &fields)) {
        long num = PyLong_AsLong(number);
        if (num < 0 || num > 65535) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "message number out of range");
            return NULL;
        }
        Wanted *w = &activity_plan[entries];
        memset(w, 0, sizeof *w);
        w->all = fields == Py_None;
        for (int f = 0; !w->all && f < 256; f++) {
            int r = is_chosen(fields, f);
            if (r < 0) return NULL;
            if (r) w->bits[f >> 3] |= (uint8_t)(1 << (f & 7));
        }
        activity_plan_of[num] = (int8_t)entries++;
    }
    PyDateTime_IMPORT;
    if (!PyDateTimeAPI) return NULL;
    K.empty_tuple = PyTuple_New(0);
    K.s_fit = interned("fit");
    K.s_multisport = interned("multisport");
    K.s_generic = interned("generic");
    K.s_transition = interned("transition");
    K.s_mm = interned("mm");
    K.f_timestamp = interned("timestamp");
    K.f_start_time = interned("start_time");
    K.f_sport = interned("sport");
    K.f_sub_sport = interned("sub_sport");
    K.f_elapsed = interned("total_elapsed_time");
    K.f_timer = interned("total_timer_time");
    K.f_distance = interned("total_distance");
    K.f_manufacturer = interned("manufacturer");
    K.f_product = interned("product");
    K.f_product_name = interned("product_name");
    K.f_time_created = interned("time_created");
    K.f_lat = interned("position_lat");
    K.f_lon = interned("position_long");
    K.f_cadence = interned("cadence");
    K.f_fraction = interned("fractional_cadence");
    K.f_packed = interned("compressed_speed_distance");
    K.f_system_timestamp = interned("system_timestamp");
    K.f_speed = interned("speed");
    K.f_bpm = interned("filtered_bpm");
    K.f_event = interned("event_timestamp");
    K.f_event_12 = interned("event_timestamp_12");
    K.f_fraction_s = interned("fractional_timestamp");
    K.f_distance_record = interned("distance");
    K.f_local_timestamp = interned("local_timestamp");
    K.c_lat = interned("lat_deg");
    K.c_lon = interned("lon_deg");
    K.c_spm = interned("cadence_spm");
    K.c_rpm = interned("cadence_rpm");
    K.c_vo = interned("vertical_oscillation_mm");
    K.c_distance = interned("distance_m");
    K.native_channel_hr = interned("hr_bpm");
    for (int i = 0; i < 15; i++) K.a_activity[i] = interned(ACTIVITY_FIELDS[i]);
    for (int i = 0; i < 2; i++) K.a_samples[i] = interned(SAMPLES_FIELDS[i]);
    for (int i = 0; i < 3; i++) K.a_lap[i] = interned(LAP_FIELDS[i]);
    for (int i = 0; i < 4; i++) K.a_leg[i] = interned(LEG_FIELDS[i]);
    if (PyErr_Occurred()) return NULL;
    slot_offsets(K.activity_type, K.a_activity, 15, activity_slots);
    slot_offsets(K.samples_type, K.a_samples, 2, samples_slots);
    slot_offsets(K.lap_type, K.a_lap, 3, lap_slots);
    slot_offsets(K.leg_type, K.a_leg, 4, leg_slots);
    K.ready = 1;
    Py_RETURN_NONE;
}

/* ---- SHA-256 (Activity.source_hash) ----------------------------------------------------
 * FIPS 180-4, with the x86 SHA extensions when the processor has them (then it is as fast
 * as OpenSSL's); without them hashlib hashes anything but small files. Tested against
 * hashlib for every length up to several blocks, both ways. */

static const uint32_t SHA_K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_portable(uint32_t state[8], const uint8_t *data, size_t blocks) {
    for (; blocks--; data += 64) {
        uint32_t w[64];
        for (int i = 0; i < 16; i++)
            w[i] = (uint32_t)data[4 * i] << 24 | (uint32_t)data[4 * i + 1] << 16 | (uint32_t)data[4 * i + 2] << 8 |
                   (uint32_t)data[4 * i + 3];
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int i = 0; i < 64; i++) {
            uint32_t t1 = h + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) + ((e & f) ^ (~e & g)) + SHA_K[i] + w[i];
            uint32_t t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHA_NI_BUILD 1

__attribute__((target("sha,sse4.1"))) static void sha256_ni(uint32_t state[8], const uint8_t *data,
                                                               size_t blocks) {
    const __m128i MASK = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i state1 = _mm_loadu_si128((const __m128i *)&state[4]);
    tmp = _mm_shuffle_epi32(tmp, 0xB1);          /* CDAB */
    state1 = _mm_shuffle_epi32(state1, 0x1B);    /* EFGH */
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8); /* ABEF */
    state1 = _mm_blend_epi16(state1, tmp, 0xF0); /* CDGH */
    for (; blocks--; data += 64) {
        __m128i abef = state0, cdgh = state1, g[4];
        for (int j = 0; j < 16; j++) {
            __m128i m;
            if (j < 4) {
                m = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * j)), MASK);
            } else {
                __m128i x = _mm_sha256msg1_epu32(g[j & 3], g[(j + 1) & 3]);
                x = _mm_add_epi32(x, _mm_alignr_epi8(g[(j + 3) & 3], g[(j + 2) & 3], 4));
                m = _mm_sha256msg2_epu32(x, g[(j + 3) & 3]);
            }
            g[j & 3] = m;
            __m128i k = _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)&SHA_K[4 * j]));
            state1 = _mm_sha256rnds2_epu32(state1, state0, k);
            state0 = _mm_sha256rnds2_epu32(state0, state1, _mm_shuffle_epi32(k, 0x0E));
        }
        state0 = _mm_add_epi32(state0, abef);
        state1 = _mm_add_epi32(state1, cdgh);
    }
    tmp = _mm_shuffle_epi32(state0, 0x1B);       /* FEBA */
    state1 = _mm_shuffle_epi32(state1, 0xB1);    /* DCHG */
    state0 = _mm_blend_epi16(tmp, state1, 0xF0); /* DCBA */
    state1 = _mm_alignr_epi8(state1, tmp, 8);    /* HGFE */
    _mm_storeu_si128((__m128i *)&state[0], state0);
    _mm_storeu_si128((__m128i *)&state[4], state1);
}

static int has_sha_ni(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    if (!(b & (1u << 29))) return 0; /* SHA */
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    return (c & (1u << 19)) && (c & (1u << 9)); /* SSE4.1, SSSE3 */
}
#else
static int has_sha_ni(void) { return 0; }
#endif

/* 0 portable, 1 SHA extensions; -1 not yet known */
static int sha_kind = -1;

static void sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks, int kind) {
#ifdef HAVE_SHA_NI_BUILD
    if (kind == 1) {
        sha256_ni(state, data, blocks);
        return;
    }
#endif
    sha256_portable(state, data, blocks);
}

/* The lower-case hex SHA-256 of n bytes into out[64]. */
static void sha256_hex(const uint8_t *data, size_t n, int kind, char out[64]) {
    uint32_t state[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                         0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t full = n / 64;
    sha256_blocks(state, data, full, kind);
    uint8_t last[128];
    size_t rest = n - full * 64;
    memcpy(last, data + full * 64, rest);
    last[rest] = 0x80;
    size_t tail = rest < 56 ? 64 : 128;
    memset(last + rest + 1, 0, tail - rest - 1);
    uint64_t bits = (uint64_t)n * 8;
    for (int i = 0; i < 8; i++) last[tail - 1 - i] = (uint8_t)(bits >> (8 * i));
    sha256_blocks(state, last, tail / 64, kind);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 8; i++)
        for (int k = 0; k < 4; k++) {
            uint8_t byte = (uint8_t)(state[i] >> (24 - 8 * k));
            out[8 * i + 2 * k] = hex[byte >> 4];
            out[8 * i + 2 * k + 1] = hex[byte & 15];
        }
}

/* Up to this size the portable code hashes (without the SHA extensions) faster than a
 * call into hashlib does. */
#define PORTABLE_SHA_BYTES 1024

/* The file's sha256 hex: compiled with the SHA extensions or for a small file, else
 * hashlib's. A new reference. */
static PyObject *file_hash(PyObject *data) {
    if (sha_kind < 0) sha_kind = has_sha_ni();
    Py_ssize_t n = PyBytes_GET_SIZE(data);
    if (sha_kind == 1 || n <= PORTABLE_SHA_BYTES) {
        char hex[64];
        sha256_hex((const uint8_t *)PyBytes_AS_STRING(data), (size_t)n, sha_kind, hex);
        return PyUnicode_FromStringAndSize(hex, 64);
    }
    PyObject *digest = PyObject_CallOneArg(K.sha256, data);
    PyObject *hash = digest ? PyObject_CallMethod(digest, "hexdigest", NULL) : NULL;
    Py_XDECREF(digest);
    return hash;
}

/* sha256(data, kind) -> hex digest: the compiled SHA-256 (kind 0 portable, 1 with the SHA
 * extensions, None what this processor uses), for the tests; None when kind 1 is not
 * available here. */
static PyObject *sha256_of(PyObject *self, PyObject *args) {
    Py_buffer buffer;
    PyObject *kind_obj;
    if (!PyArg_ParseTuple(args, "y*O", &buffer, &kind_obj)) return NULL;
    if (sha_kind < 0) sha_kind = has_sha_ni();
    int kind = kind_obj == Py_None ? sha_kind : PyObject_IsTrue(kind_obj);
    if (kind == 1 && !sha_kind) {
        PyBuffer_Release(&buffer);
        Py_RETURN_NONE;
    }
    char hex[64];
    sha256_hex(buffer.buf, (size_t)buffer.len, kind, hex);
    PyBuffer_Release(&buffer);
    return PyUnicode_FromStringAndSize(hex, 64);
}

/* An instance of a frozen, slotted dataclass with its fields set (no __init__ runs: the
 * values are what the Python steps pass, already checked). Steals nothing. */
static PyObject *instance(PyObject *type, PyObject **names, PyObject **values, int n) {
    Py_ssize_t *slots = type == K.activity_type ? activity_slots
                        : type == K.samples_type ? samples_slots
                        : type == K.lap_type     ? lap_slots
                                                 : leg_slots;
    PyObject *obj = PyBaseObject_Type.tp_new((PyTypeObject *)type, K.empty_tuple, NULL);
    if (!obj) return NULL;
    for (int i = 0; i < n; i++) {
        if (slots[i] >= 0) { /* what the member descriptor's setter does */
            PyObject **slot = (PyObject **)((char *)obj + slots[i]);
            Py_XSETREF(*slot, Py_NewRef(values[i]));
        } else if (PyObject_GenericSetAttr(obj, names[i], values[i]) < 0) {
            Py_DECREF(obj);
            return NULL;
        }
    }
    return obj;
}

/* Python's rounding of a float to an integer, half to even (_PyTime_Round). */
static double round_half_even(double x) {
    double rounded = round(x);
    if (fabs(x - rounded) == 0.5) rounded = 2.0 * round(x / 2.0);
    return rounded;
}

/* datetime.fromtimestamp(ms / 1000.0, tz=UTC), with Python's float-to-microseconds steps
 * (_PyTime_DoubleToDenominator), then the civil date of the day count. */
static PyObject *utc_datetime(int64_t ms) {
    double intpart, floatpart = modf((double)ms / 1000.0, &intpart);
    floatpart = round_half_even(floatpart * 1e6);
    if (floatpart >= 1e6) {
        floatpart -= 1e6;
        intpart += 1.0;
    } else if (floatpart < 0) {
        floatpart += 1e6;
        intpart -= 1.0;
    }
    int64_t seconds = (int64_t)intpart;
    int us = (int)floatpart;
    int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
    int64_t rest = seconds - days * 86400; /* 0 .. 86399 */
    /* civil date of a day count (Howard Hinnant's civil_from_days) */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    y += m <= 2;
    if (y < 1 || y > 9999) {
        PyErr_SetString(PyExc_OverflowError, "date out of range");
        return NULL;
    }
    int s = (int)rest;
    return PyDateTimeAPI->DateTime_FromDateAndTime((int)y, m, d, s / 3600, s / 60 % 60, s % 60, us,
                                                   PyDateTime_TimeZone_UTC, PyDateTimeAPI->DateTimeType);
}

static inline int64_t ms_of(double seconds) {
    return (isfinite(seconds) && fabs(seconds) <= MAX_FIT_SECONDS) ? (int64_t)((seconds + FIT_EPOCH_S) * 1000.0)
                                                                   : NAT_MS;
}

static Message *message_of(Decode *z, int num) {
    for (int i = 0; i < z->n_msgs; i++)
        if (z->msgs[i].global_num == num) return &z->msgs[i];
    return NULL;
}

static Column *column_named(Message *m, PyObject *name) {
    if (!m || !name || name == Py_None) return NULL;
    for (int i = 0; i < m->n_cols; i++)
        if (m->cols[i].name == name) return &m->cols[i];
    return NULL;
}

/* MessageTable.number: a numeric column (its first value per row), NULL otherwise. */
static Column *number_column(Message *m, PyObject *name) {
    Column *cc = column_named(m, name);
    return cc && !cc->is_object && !cc->is_time ? cc : NULL;
}

/* A date_time column (datetime64 in the tables), NULL otherwise. */
static Column *time_column(Message *m, PyObject *name) {
    Column *cc = column_named(m, name);
    return cc && cc->is_time && !cc->is_object && cc->width == 1 ? cc : NULL;
}

static inline double first_of(Column *cc, Py_ssize_t row) { return cc->values[row * cc->width]; }

/* fit_profile.enum_name: None for NaN, the profile name, else the number as text. */
static PyObject *enum_name_of(PyObject *names, double value) {
    if (isnan(value)) Py_RETURN_NONE;
    PyObject *number = PyLong_FromDouble(value);
    if (!number) return NULL;
    PyObject *name = PyDict_GetItemWithError(names, number);
    if (name) {
        Py_DECREF(number);
        Py_INCREF(name);
        return name;
    }
    if (PyErr_Occurred()) {
        Py_DECREF(number);
        return NULL;
    }
    name = PyObject_Str(number);
    Py_DECREF(number);
    return name;
}

/* numpy's pairwise summation (add.reduce on a contiguous float64 array). */
static double pairwise_sum(const double *a, Py_ssize_t n) {
    if (n < 8) {
        double res = 0.;
        for (Py_ssize_t i = 0; i < n; i++) res += a[i];
        return res;
    }
    if (n <= 128) {
        double r[8];
        Py_ssize_t i;
        for (int k = 0; k < 8; k++) r[k] = a[k];
        for (i = 8; i < n - (n % 8); i += 8)
            for (int k = 0; k < 8; k++) r[k] += a[i + k];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) res += a[i];
        return res;
    }
    Py_ssize_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

/* fit._session_sum: the sum of a session column's valid values; 0 = none (*found 0). */
static double session_sum(Message *sessions, PyObject *name, int *found) {
    *found = 0;
    Column *cc = number_column(sessions, name);
    if (!cc || !sessions->n) return 0.0;
    double small[32];
    double *valid = sessions->n <= 32 ? small : mem_alloc((size_t)sessions->n * sizeof(double));
    if (!valid) return 0.0;
    Py_ssize_t k = 0;
    for (Py_ssize_t r = 0; r < sessions->n; r++) {
        double v = first_of(cc, r);
        if (v == v) valid[k++] = v;
    }
    double total = 0.0;
    if (k) {
        *found = 1;
        if (sessions->n <= 32 && k < 8) /* Python's sum from 0, one after the other */
            for (Py_ssize_t i = 0; i < k; i++) total += valid[i];
        else
            total = pairwise_sum(valid, k);
    }
    if (valid != small) mem_free(valid);
    return total;
}

/* A developer field description (fit_developer.DeveloperField). */
typedef struct {
    int file_index;
    int64_t dev_index, field_num, base_type, native; /* native -1: none */
    double scale, offset;
    Py_ssize_t order;
    PyObject *name, *units; /* owned; units may be NULL */
} DevDesc;

/* A decoded developer field of one definition (fit_developer.developer_columns). */
typedef struct {
    int def;
    int triple;
    DevDesc *desc;
    PyObject *name; /* borrowed from the known list */
    int kind, count, is_string;
} DevCol;

typedef struct {
    PyObject *name; /* owned */
    DevDesc *desc;
} Known;

typedef struct {
    DevDesc *descs;
    int n_descs;
    DevCol *cols;
    int n_cols;
    Known *known;
    int n_known;
} Dev;

static void free_dev(Dev *v) {
    for (int i = 0; i < v->n_descs; i++) {
        Py_XDECREF(v->descs[i].name);
        Py_XDECREF(v->descs[i].units);
    }
    for (int i = 0; i < v->n_known; i++) Py_XDECREF(v->known[i].name);
    mem_free(v->descs);
    mem_free(v->cols);
    mem_free(v->known);
}

/* The first triple of a definition with field number `num`, or NULL. */
static Triple *triple_of(Def *def, int num) {
    for (int i = 0; i < def->n_fields; i++)
        if (def->fields[i].num == num) return &def->fields[i];
    return NULL;
}

/* A field_description number field as read_descriptions reads it: NaN when absent, held
 * as text or as an array (those columns count as absent there), else its value.
 * *present 0 when the column is absent. */
static double description_number(Def *def, const uint8_t *row, int num, int *present) {
    Triple *t = triple_of(def, num);
    *present = 0;
    if (!t) return NAN;
    int kind = t->type & 0x1F;
    if (kind == STRING_TYPE || kind > 0x10 || kind == 7 || !t->size || t->size % base_size[kind]) return NAN;
    if (t->size / base_size[kind] != 1) return NAN;
    *present = 1;
    if (kind == BYTE_TYPE) return row[t->offset] == 0xFF ? NAN : (double)row[t->offset];
    return value_of(row + t->offset, kind, def->big_endian);
}

/* A field_description text field: a new reference, None when absent or not text. */
static PyObject *description_text(Def *def, const uint8_t *row, int num) {
    Triple *t = triple_of(def, num);
    if (!t || (t->type & 0x1F) != STRING_TYPE) Py_RETURN_NONE;
    return string_of(row + t->offset, t->size);
}

static int as_int64(double v, int64_t *out) {
    if (!(v > -9.2e18 && v < 9.2e18)) return -1; /* beyond what the C side compares */
    *out = (int64_t)v;
    return 0;
}

/* read_descriptions: every field_description of the file, in definition then row order.
 * -1 with an exception; -2 when a value is beyond what this path handles (decline). */
static int read_dev_descriptions(Ctx *c, Dev *v) {
    int cap = 0;
    for (int i = 0; i < c->n_defs; i++)
        if (c->defs[i].global_num == 206) cap += (int)c->defs[i].rows;
    if (!cap) return 0;
    v->descs = mem_calloc((size_t)cap, sizeof(DevDesc));
    if (!v->descs) return -1;
    for (int i = 0; i < c->n_defs; i++) {
        Def *def = &c->defs[i];
        if (def->global_num != 206 || !def->rows) continue;
        for (Py_ssize_t k = 0; k < c->n_msgs; k++) {
            if (c->def_of[k] != i) continue;
            const uint8_t *row = c->d + c->pos[k] + 1;
            int has_index, has_number, has_base, has_native, has_scale, has_offset;
            double index = description_number(def, row, 0, &has_index);
            double number = description_number(def, row, 1, &has_number);
            double base = description_number(def, row, 2, &has_base);
            if (isnan(index) || isnan(number) || isnan(base)) continue;
            double scale = description_number(def, row, 6, &has_scale);
            double offset = description_number(def, row, 7, &has_offset);
            double native = description_number(def, row, 15, &has_native);
            DevDesc *d = &v->descs[v->n_descs];
            if (as_int64(index, &d->dev_index) || as_int64(number, &d->field_num) || as_int64(base, &d->base_type))
                return -2;
            d->native = -1;
            if (!isnan(native) && as_int64(native, &d->native)) return -2;
            if (!isnan(native) && d->native < 0) return -2;
            d->file_index = def->file_index;
            d->scale = (scale == scale && scale != 0.0) ? scale : 1.0;
            d->offset = (offset == offset && offset != 0.0) ? offset : 0.0;
            d->order = k;
            PyObject *name = description_text(def, row, 3);
            if (!name) return -1;
            if (name == Py_None) {
                Py_DECREF(name);
                name = PyUnicode_FromFormat("developer_%lld_%lld", (long long)d->dev_index, (long long)d->field_num);
                if (!name) return -1;
            }
            d->name = name;
            PyObject *units = description_text(def, row, 8);
            if (!units) return -1;
            if (units == Py_None) {
                Py_DECREF(units);
                units = NULL;
            }
            d->units = units;
            v->n_descs++;
        }
    }
    return 0;
}

/* A warning template (printf-style, from the Python module that owns it) filled with the
 * values of a tuple (stolen). */
static PyObject *formatted(PyObject *template, PyObject *values) {
    if (!values) return NULL;
    PyObject *text = PyUnicode_Format(template, values);
    Py_DECREF(values);
    return text;
}

/* fit_developer._warn_once: the text is added unless the warnings hold it (steals it). */
static int add_warning_once(Ctx *c, PyObject *text) {
    if (!text) return -1;
    int seen = PySequence_Contains(c->warnings, text);
    if (seen < 0 || (!seen && PyList_Append(c->warnings, text) < 0)) {
        Py_DECREF(text);
        return -1;
    }
    Py_DECREF(text);
    return 0;
}

/* fit_developer._column_name: the name a described field gets in the tables. */
static PyObject *known_name(Dev *v, DevDesc *d, int *cap) {
    PyObject *name = d->name;
    Py_INCREF(name);
    for (int i = 0; i < v->n_known; i++) {
        int same = PyUnicode_Compare(v->known[i].name, name);
        if (same == -1 && PyErr_Occurred()) {
            Py_DECREF(name);
            return NULL;
        }
        if (same != 0) continue;
        DevDesc *other = v->known[i].desc;
        if (other->dev_index != d->dev_index || other->field_num != d->field_num) {
            Py_DECREF(name);
            name = PyUnicode_FromFormat("%U#%lld.%lld", d->name, (long long)d->dev_index, (long long)d->field_num);
            if (!name) return NULL;
        }
        break;
    }
    for (int i = 0; i < v->n_known; i++) {
        int same = PyUnicode_Compare(v->known[i].name, name);
        if (same == -1 && PyErr_Occurred()) {
            Py_DECREF(name);
            return NULL;
        }
        if (same == 0) { /* setdefault: the first description keeps the name */
            Py_DECREF(name);
            return v->known[i].name;
        }
    }
    if (v->n_known == *cap) {
        int grown = *cap ? *cap * 2 : 8;
        Known *p = mem_realloc(v->known, (size_t)grown * sizeof(Known));
        if (!p) {
            Py_DECREF(name);
            PyErr_NoMemory();
            return NULL;
        }
        v->known = p;
        *cap = grown;
    }
    v->known[v->n_known].name = name; /* owned by the list */
    v->known[v->n_known].desc = d;
    v->n_known++;
    return name;
}

/* The developer fields of every wanted definition (fit_decode._native_developer, then
 * developer_columns per definition): which description each uses, their warnings, the
 * known names. Values are read later, for the records only. */
static int read_dev_fields(Ctx *c, Dev *v) {
    int cap_cols = 0, cap_known = 0;
    for (int i = 0; i < c->n_defs; i++) {
        Def *def = &c->defs[i];
        if (!def->rows || !def->n_dev || !profiles[def->global_num]) continue;
        if (activity_plan_of[def->global_num] < 0) continue; /* not a wanted message */
        Py_ssize_t first = -1, last = -1;
        for (Py_ssize_t k = 0; k < c->n_msgs; k++)
            if (c->def_of[k] == i) {
                if (first < 0) first = k;
                last = k;
            }
        for (int t = 0; t < def->n_dev; t++) {
            Triple *tr = &def->dev[t];
            DevDesc *chosen = NULL, *first_usable = NULL;
            for (int q = 0; q < v->n_descs; q++) {
                DevDesc *d = &v->descs[q];
                if (d->file_index != def->file_index || d->dev_index != tr->type || d->field_num != tr->num) continue;
                if (d->order >= last) continue;
                if (!first_usable) first_usable = d;
                if (d->order < first) chosen = d; /* the last one before the first row */
            }
            if (!chosen) chosen = first_usable;
            if (!chosen) {
                PyObject *text = formatted(K.undescribed, Py_BuildValue("(ii)", (int)tr->num, (int)tr->type));
                if (add_warning_once(c, text) < 0) return -1;
                continue;
            }
            int kind = (int)(chosen->base_type & 0x1F);
            int is_string = kind == STRING_TYPE;
            int count = 1;
            if (!is_string) {
                if (kind > 0x10 || !tr->size || tr->size % base_size[kind]) continue; /* not decoded */
                count = tr->size / base_size[kind];
            }
            if (first < chosen->order) {
                PyObject *text = formatted(K.early, PyTuple_Pack(1, chosen->name));
                if (add_warning_once(c, text) < 0) return -1;
            }
            PyObject *name = known_name(v, chosen, &cap_known);
            if (!name) return -1;
            /* a name given twice in one definition: the later field's values win */
            int slot = -1;
            for (int q = 0; q < v->n_cols; q++)
                if (v->cols[q].def == i && PyUnicode_Compare(v->cols[q].name, name) == 0) slot = q;
            if (slot < 0) {
                if (v->n_cols == cap_cols) {
                    int grown = cap_cols ? cap_cols * 2 : 8;
                    DevCol *p = mem_realloc(v->cols, (size_t)grown * sizeof(DevCol));
                    if (!p) {
                        PyErr_NoMemory();
                        return -1;
                    }
                    v->cols = p;
                    cap_cols = grown;
                }
                slot = v->n_cols++;
            }
            DevCol *col = &v->cols[slot];
            col->def = i;
            col->triple = t;
            col->desc = chosen;
            col->name = name;
            col->kind = kind;
            col->count = count;
            col->is_string = is_string;
        }
    }
    return 0;
}

/* A channel under construction: a 1-D float64 numpy array of every record row. */
typedef struct {
    PyObject *name;  /* borrowed */
    PyObject *array; /* owned numpy array holding `data`, or NULL: `data` is plain memory */
    double *data;
} Channel;

typedef struct {
    Channel items[24];
    int n;
} Channels;

/* A channel's buffer of n values: a numpy array when large (*array set), else plain
 * memory (*array NULL), copied into an array of the kept rows at the end. */
static double *new_floats(Py_ssize_t n, PyObject **array) {
    void *data;
    if (n <= SMALL_ROWS) {
        *array = NULL;
        data = mem_alloc((size_t)(n ? n : 1) * sizeof(double));
        if (!data) PyErr_NoMemory();
        return data;
    }
    *array = new_array(n, 1, NULL, &data);
    return *array ? data : NULL;
}

static void drop_floats(PyObject *array, double *data) {
    if (array)
        Py_DECREF(array);
    else
        mem_free(data);
}

static int add_channel(Channels *ch, PyObject *name, PyObject *array, double *data) {
    if (ch->n == 24) {
        drop_floats(array, data);
        PyErr_SetString(PyExc_RuntimeError, "too many channels");
        return -1;
    }
    ch->items[ch->n].name = name;
    ch->items[ch->n].array = array;
    ch->items[ch->n].data = data;
    ch->n++;
    return 0;
}

/* fit_samples._number on a record column: usable when numeric with a value in its first
 * column. */
static Column *record_number(Message *records, PyObject *name) {
    Column *cc = number_column(records, name);
    if (!cc) return NULL;
    for (Py_ssize_t r = 0; r < records->n; r++)
        if (!isnan(first_of(cc, r))) return cc;
    return NULL;
}

/* A channel's own array holding a column's first values (the column's array itself when
 * it is 1-D: nothing else reads it on this path). */
static double *column_values(Column *cc, Py_ssize_t n, PyObject **array) {
    if (cc->width == 1 && cc->array) {
        Py_INCREF(cc->array);
        *array = cc->array;
        return cc->values;
    }
    double *out = new_floats(n, array);
    if (out)
        for (Py_ssize_t r = 0; r < n; r++) out[r] = first_of(cc, r);
    return out;
}

/* fit_samples._developer_channels and the setdefault into the native channels. */
static int developer_channels(Ctx *c, Message *records, Dev *v, Channels *ch, int n_native) {
    Py_ssize_t n = records->n;
    PyObject *devs_done[24];
    int n_done = 0;
    for (int i = 0; i < v->n_known; i++) {
        DevDesc *d = v->known[i].desc;
        PyObject *name = v->known[i].name;
        PyObject *channel = NULL; /* borrowed */
        if (d->native >= 0) {
            PyObject *key = PyLong_FromLongLong(d->native);
            if (!key) return -1;
            channel = PyDict_GetItemWithError(K.native_numbers, key);
            Py_DECREF(key);
            if (!channel && PyErr_Occurred()) return -1;
        }
        if (!channel) {
            PyObject *stripped = PyObject_CallMethod(d->name, "strip", NULL);
            PyObject *lower = stripped ? PyObject_CallMethod(stripped, "lower", NULL) : NULL;
            Py_XDECREF(stripped);
            if (!lower) return -1;
            channel = PyDict_GetItemWithError(K.dev_names, lower);
            Py_DECREF(lower);
            if (!channel && PyErr_Occurred()) return -1;
        }
        if (!channel) continue; /* the kit's channel names are interned (init_activity) */
        /* the record rows' values of this name, NaN where a definition lacks it */
        int any = 0, string = 0;
        for (int q = 0; q < v->n_cols; q++) {
            DevCol *col = &v->cols[q];
            if (c->defs[col->def].global_num != 20 || PyUnicode_Compare(col->name, name) != 0) continue;
            any = 1;
            string |= col->is_string;
        }
        if (!any || string) continue;
        int done = 0;
        for (int q = 0; q < n_done; q++) done |= devs_done[q] == channel;
        if (done) continue;
        PyObject *array;
        double *out = new_floats(n, &array);
        if (!out) return -1;
        for (Py_ssize_t r = 0; r < n; r++) out[r] = NAN;
        int found = 0;
        for (Py_ssize_t r = 0; r < n; r++) {
            Py_ssize_t k = records->order[r];
            int def = c->def_of[k];
            for (int q = 0; q < v->n_cols; q++) {
                DevCol *col = &v->cols[q];
                if (col->def != def || PyUnicode_Compare(col->name, name) != 0) continue;
                Def *dd = &c->defs[def];
                const uint8_t *at = c->d + c->pos[k] + 1 + dd->dev[col->triple].offset;
                double value;
                if (col->kind == BYTE_TYPE && col->count > 1) {
                    int all = 1;
                    for (int b = 0; b < col->count; b++)
                        if (at[b] != 0xFF) all = 0;
                    value = all ? NAN : (double)at[0];
                } else {
                    value = value_of(at, col->kind, dd->big_endian);
                }
                if (k < col->desc->order) value = NAN; /* used before its description */
                if (!(col->desc->scale == 1.0 && col->desc->offset == 0.0))
                    value = value / col->desc->scale - col->desc->offset;
                out[r] = value;
            }
            if (!isnan(out[r])) found = 1;
        }
        if (!found) {
            drop_floats(array, out);
            continue;
        }
        if (channel == K.c_vo) { /* Stryd says cm even when naming field 39 */
            PyObject *units = d->units ? d->units : K.s_mm;
            PyObject *stripped = PyObject_CallMethod(units, "strip", NULL);
            PyObject *lower = stripped ? PyObject_CallMethod(stripped, "lower", NULL) : NULL;
            Py_XDECREF(stripped);
            if (!lower) {
                drop_floats(array, out);
                return -1;
            }
            PyObject *factor = PyDict_GetItemWithError(K.to_mm, lower);
            Py_DECREF(lower);
            if (!factor && PyErr_Occurred()) {
                drop_floats(array, out);
                return -1;
            }
            double f = factor ? PyFloat_AsDouble(factor) : 1.0;
            if (f == -1.0 && PyErr_Occurred()) {
                drop_floats(array, out);
                return -1;
            }
            for (Py_ssize_t r = 0; r < n; r++) out[r] = out[r] * f;
        }
        devs_done[n_done++] = channel;
        int native_has = 0;
        for (int q = 0; q < n_native; q++) native_has |= ch->items[q].name == channel;
        if (native_has || n_done > 23) {
            drop_floats(array, out);
            continue;
        }
        if (add_channel(ch, channel, array, out) < 0) return -1;
    }
    return 0;
}

static void free_channels(Channels *ch) {
    for (int i = 0; i < ch->n; i++) drop_floats(ch->items[i].array, ch->items[i].data);
    ch->n = 0;
}

/* Sessions by start time (NaT last), as numpy's argsort gives them for up to 16 rows. */
static void order_by_start(const int64_t *start, int n, int *out) {
    for (int i = 0; i < n; i++) out[i] = i;
    for (int i = 1; i < n; i++) {
        int item = out[i], j = i;
        uint64_t key = (uint64_t)start[item] ^ (1ull << 63); /* NaT (INT64_MIN) ... */
        if (start[item] == NAT_MS) key = UINT64_MAX;          /* ... sorts last */
        while (j > 0) {
            int prev = out[j - 1];
            uint64_t pkey = start[prev] == NAT_MS ? UINT64_MAX : (uint64_t)start[prev] ^ (1ull << 63);
            if (pkey <= key) break;
            out[j] = prev;
            j--;
        }
        out[j] = item;
    }
}

/* Whether a sport name is on foot (fit_samples: running, walking, hiking). */
static int on_foot(PyObject *name) {
    if (name == Py_None) return 0;
    return PySet_Contains(K.on_foot, name);
}

/* fit._first_value: the first valid number of a column, NaN when none. */
static double first_valid(Message *m, PyObject *name) {
    Column *cc = number_column(m, name);
    if (!cc) return NAN;
    for (Py_ssize_t r = 0; r < m->n; r++) {
        double v = first_of(cc, r);
        if (v == v) return v;
    }
    return NAN;
}

/* fit._device: "<manufacturer> <product>" from the first file_id. */
static PyObject *device_of(Message *file_id) {
    double maker_code = first_valid(file_id, K.f_manufacturer);
    PyObject *maker = enum_name_of(K.makers, maker_code);
    if (!maker || maker == Py_None) return maker;
    double product_code = first_valid(file_id, K.f_product);
    PyObject *product = NULL;
    Column *names = column_named(file_id, K.f_product_name);
    if (names && names->is_object)
        for (Py_ssize_t r = 0; r < file_id->n && !product; r++) {
            PyObject *text = PyList_GET_ITEM(names->array, r);
            if (text != Py_None && PyObject_IsTrue(text) == 1) {
                product = text;
                Py_INCREF(product);
            }
        }
    if (!product && !isnan(product_code)) {
        PyObject *code = PyLong_FromDouble(maker_code);
        int garmin = code ? PySet_Contains(K.garmin_makers, code) : -1;
        Py_XDECREF(code);
        if (garmin < 0) {
            Py_DECREF(maker);
            return NULL;
        }
        if (garmin) {
            product = enum_name_of(K.products, product_code);
            if (!product) {
                Py_DECREF(maker);
                return NULL;
            }
        }
        if (!product) {
            PyObject *number = PyLong_FromDouble(product_code);
            product = number ? PyObject_Str(number) : NULL;
            Py_XDECREF(number);
            if (!product) {
                Py_DECREF(maker);
                return NULL;
            }
        }
    }
    if (!product) return maker;
    PyObject *out = PyUnicode_FromFormat("%U %U", maker, product); /* f"{maker} {product}" */
    Py_DECREF(maker);
    Py_DECREF(product);
    return out;
}

/* fit._laps and fit._legs: rows with a start time, as Lap or Leg instances. */
static PyObject *parts_of(Message *m, int legs) {
    Column *starts = time_column(m, K.f_start_time);
    if (!m || !m->n || !starts) return PyTuple_New(0);
    Column *elapsed = number_column(m, K.f_elapsed), *distance = number_column(m, K.f_distance);
    Column *sports = legs ? number_column(m, K.f_sport) : NULL;
    Py_ssize_t n = m->n;
    int64_t *ms = mem_alloc((size_t)n * sizeof(int64_t));
    int *rows = mem_alloc((size_t)n * sizeof(int));
    PyObject *out = PyList_New(0);
    if (!ms || !rows || !out) goto error;
    for (Py_ssize_t r = 0; r < n; r++) {
        ms[r] = ms_of(starts->values[r]);
        rows[r] = (int)r;
    }
    if (legs) { /* numpy's stable argsort: NaT last */
        for (Py_ssize_t i = 1; i < n; i++) {
            int item = rows[i];
            Py_ssize_t j = i;
            while (j > 0) {
                int prev = rows[j - 1];
                int later = ms[item] == NAT_MS ? 0 : ms[prev] == NAT_MS ? 1 : ms[prev] > ms[item];
                if (!later) break;
                rows[j] = prev;
                j--;
            }
            rows[j] = item;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        int r = rows[i];
        if (ms[r] == NAT_MS) continue;
        double seconds = elapsed && !isnan(first_of(elapsed, r)) ? first_of(elapsed, r) : 0.0;
        double metres = distance ? first_of(distance, r) : NAN;
        PyObject *start = utc_datetime(ms[r]);
        PyObject *duration = start ? PyFloat_FromDouble(seconds) : NULL;
        PyObject *length = duration ? (isnan(metres) ? Py_NewRef(Py_None) : PyFloat_FromDouble(metres)) : NULL;
        PyObject *sport = NULL, *item = NULL;
        if (length && legs) {
            sport = sports ? enum_name_of(K.sports, first_of(sports, r)) : Py_NewRef(Py_None);
            if (sport == Py_None) Py_SETREF(sport, Py_NewRef(K.s_generic));
            if (sport) {
                PyObject *values[4] = {sport, start, duration, length};
                item = instance(K.leg_type, K.a_leg, values, 4);
            }
        } else if (length) {
            PyObject *values[3] = {start, duration, length};
            item = instance(K.lap_type, K.a_lap, values, 3);
        }
        Py_XDECREF(start);
        Py_XDECREF(duration);
        Py_XDECREF(length);
        Py_XDECREF(sport);
        if (!item || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            goto error;
        }
        Py_DECREF(item);
    }
    mem_free(ms);
    mem_free(rows);
    PyObject *tuple = PyList_AsTuple(out);
    Py_DECREF(out);
    return tuple;
error:
    mem_free(ms);
    mem_free(rows);
    Py_XDECREF(out);
    return NULL;
}

static PyObject *hr_merge(PyObject *self, PyObject *args);

/* A numpy copy of a plain column (rows x width), or None when there is no such numeric
 * column (fit_hr._numeric). */
static PyObject *rows_copy(Column *cc, Py_ssize_t n) {
    if (!cc || cc->is_object) Py_RETURN_NONE;
    void *data;
    PyObject *array = new_array(n, cc->width, NULL, &data);
    if (array) memcpy(data, cc->values, (size_t)n * (size_t)cc->width * sizeof(double));
    return array;
}

/* fit_samples._merge_hr_messages on the Activity path: records without a heart rate take
 * the strap's (`hr` messages, merged by hr_merge as fit_hr does). 0 done, 1 decline. */
static int merge_strap_hr(Decode *z, const int64_t *ms, Py_ssize_t n, Channels *ch, PyObject **warning) {
    Message *hr = message_of(z, 132);
    *warning = NULL;
    if (!hr || !hr->n || !n) return 0;
    Column *bpm = column_named(hr, K.f_bpm), *stamp = time_column(hr, K.f_timestamp);
    if (!bpm || bpm->is_object || bpm->is_time || !stamp) return 0; /* merged_heart_rate: None */
    Column *fraction = number_column(hr, K.f_fraction_s);
    Column *full = column_named(hr, K.f_event), *packed = column_named(hr, K.f_event_12);
    Py_ssize_t m = hr->n;
    PyObject *args = NULL, *merged = NULL;
    void *anchor_data, *record_data;
    PyObject *bpm_rows = rows_copy(bpm, m);
    PyObject *full_rows = bpm_rows ? rows_copy(full && !full->is_time ? full : NULL, m) : NULL;
    PyObject *packed_rows = full_rows ? rows_copy(packed && !packed->is_time ? packed : NULL, m) : NULL;
    PyObject *anchors = packed_rows ? new_array(m, 1, NULL, &anchor_data) : NULL;
    PyObject *record_s = anchors ? new_array(n, 1, NULL, &record_data) : NULL;
    int rc = -1;
    if (!record_s) goto done;
    double *a = anchor_data, *t = record_data;
    for (Py_ssize_t r = 0; r < m; r++) {
        int64_t at = ms_of(stamp->values[r]);
        double part = fraction ? first_of(fraction, r) : 0.0;
        if (isnan(part)) part = 0.0;
        if (isinf(part)) part = part > 0 ? DBL_MAX : -DBL_MAX; /* nan_to_num */
        a[r] = (at == NAT_MS ? NAN : (double)at / 1000.0) + part;
    }
    for (Py_ssize_t r = 0; r < n; r++) t[r] = ms[r] == NAT_MS ? NAN : (double)ms[r] / 1000.0;
    args = PyTuple_Pack(5, bpm_rows, full_rows, packed_rows, anchors, record_s);
    merged = args ? hr_merge(NULL, args) : NULL;
    if (!merged) goto done;
    if (merged == Py_None) { /* the compiled merge declines: so does this path */
        rc = 1;
        goto done;
    }
    rc = 0;
    if (PyLong_Check(merged)) goto done; /* no beat placed */
    Py_buffer view;
    double *values = float_data(merged, &view);
    if (!values) {
        rc = 1;
        goto done;
    }
    Channel *own = NULL;
    for (int i = 0; i < ch->n; i++)
        if (ch->items[i].name == K.native_channel_hr) own = &ch->items[i];
    Py_ssize_t filled = 0;
    for (Py_ssize_t r = 0; r < n; r++)
        filled += !isnan(values[r]) && (!own || isnan(own->data[r]));
    if (filled && own) {
        for (Py_ssize_t r = 0; r < n; r++)
            if (isnan(own->data[r]) && !isnan(values[r])) own->data[r] = values[r];
    } else if (filled) {
        PyObject *array;
        double *out = new_floats(n, &array);
        if (!out || add_channel(ch, K.native_channel_hr, array, out) < 0) {
            PyBuffer_Release(&view);
            rc = -1;
            goto done;
        }
        memcpy(out, values, (size_t)n * sizeof(double));
    }
    PyBuffer_Release(&view);
    if (filled && !(*warning = formatted(K.strap_merged, Py_BuildValue("(n)", filled)))) rc = -1;
done:
    Py_XDECREF(bpm_rows);
    Py_XDECREF(full_rows);
    Py_XDECREF(packed_rows);
    Py_XDECREF(anchors);
    Py_XDECREF(record_s);
    Py_XDECREF(args);
    Py_XDECREF(merged);
    return rc;
}

/* The record channels (fit_samples.record_samples), the untimed rows dropped: the Samples
 * instance, and the warning about the dropped rows (or NULL) in *dropped_warning. 1 = decline. */
static int samples_of(Ctx *c, Decode *z, Dev *v, PyObject *sport, PyObject **samples, PyObject **dropped_warning,
                      PyObject **strap_warning, int64_t *first_ms, int64_t *last_ms, int *has_distance,
                      double *max_distance) {
    Message *records = message_of(z, 20), *sessions = message_of(z, 18);
    Py_ssize_t n = records ? records->n : 0;
    Channels ch = {0};
    int64_t *ms = NULL;
    PyObject *dict = NULL, *stamps = NULL;
    int rc = -1;
    *first_ms = *last_ms = NAT_MS;
    *has_distance = 0;
    *dropped_warning = *strap_warning = NULL;
    ms = mem_alloc((size_t)(n ? n : 1) * sizeof(int64_t));
    if (!ms) goto done;
    Column *ts = n ? time_column(records, K.f_timestamp) : NULL;
    Py_ssize_t untimed = 0;
    for (Py_ssize_t r = 0; r < n; r++) {
        ms[r] = ts ? ms_of(ts->values[r]) : NAT_MS;
        untimed += ms[r] == NAT_MS;
    }
    if (n) {
        Column *lat = record_number(records, K.f_lat), *lon = record_number(records, K.f_lon);
        if (lat && lon) {
            Column *both[2] = {lat, lon};
            PyObject *names[2] = {K.c_lat, K.c_lon};
            for (int k = 0; k < 2; k++) {
                PyObject *array;
                double *out = column_values(both[k], n, &array);
                if (!out) goto done;
                for (Py_ssize_t r = 0; r < n; r++) out[r] = out[r] * K.semicircle_deg;
                if (add_channel(&ch, names[k], array, out) < 0) goto done;
            }
        }
        for (int i = 0; i < K.n_native; i++) {
            PyObject *second_name = K.native_second[i] == Py_None ? NULL : K.native_second[i];
            if (!column_named(records, K.native_first[i]) && !column_named(records, second_name)) continue;
            Column *first = record_number(records, K.native_first[i]);
            Column *second = record_number(records, second_name);
            if (!first && !second) continue;
            PyObject *array;
            double *out = column_values(first ? first : second, n, &array);
            if (!out) goto done;
            if (first && second)
                for (Py_ssize_t r = 0; r < n; r++)
                    if (isnan(out[r])) out[r] = first_of(second, r);
            if (add_channel(&ch, K.native_channel[i], array, out) < 0) goto done;
        }
        if (v->n_known && developer_channels(c, records, v, &ch, ch.n) < 0) goto done;
        Column *cadence = record_number(records, K.f_cadence);
        if (cadence) {
            Column *fraction = record_number(records, K.f_fraction);
            PyObject *array;
            double *values = column_values(cadence, n, &array);
            if (!values) goto done;
            if (fraction)
                for (Py_ssize_t r = 0; r < n; r++) {
                    double part = first_of(fraction, r);
                    if (isnan(part)) part = 0.0;
                    if (isinf(part)) part = part > 0 ? DBL_MAX : -DBL_MAX; /* as nan_to_num */
                    values[r] = values[r] + part;
                }
            Column *starts = time_column(sessions, K.f_start_time);
            Column *sports = number_column(sessions, K.f_sport);
            if (!starts || !sports || sessions->n < 2) {
                int foot = on_foot(sport);
                if (foot < 0) {
                    drop_floats(array, values);
                    goto done;
                }
                if (foot)
                    for (Py_ssize_t r = 0; r < n; r++) values[r] = values[r] * 2.0;
                if (add_channel(&ch, foot ? K.c_spm : K.c_rpm, array, values) < 0) goto done;
            } else {
                int count = (int)sessions->n;
                if (count > 16) { /* numpy's argsort is no longer an insertion sort */
                    drop_floats(array, values);
                    rc = 1;
                    goto done;
                }
                int64_t start[16];
                int order[16];
                for (int i = 0; i < count; i++) start[i] = ms_of(starts->values[i]);
                order_by_start(start, count, order);
                char *foot = mem_alloc((size_t)n);
                PyObject *spm_array, *rpm_array;
                double *spm = foot ? new_floats(n, &spm_array) : NULL;
                double *rpm = spm ? new_floats(n, &rpm_array) : NULL;
                if (!rpm) {
                    mem_free(foot);
                    if (spm) drop_floats(spm_array, spm);
                    drop_floats(array, values);
                    goto done;
                }
                memset(foot, 0, (size_t)n);
                int first = 1, failed = 0;
                for (int i = 0; i < count && !failed; i++) {
                    int s = order[i];
                    if (start[s] == NAT_MS) continue;
                    PyObject *name = enum_name_of(K.sports, first_of(sports, s));
                    int is_foot = name ? on_foot(name) : -1;
                    Py_XDECREF(name);
                    if (is_foot < 0) {
                        failed = 1;
                        break;
                    }
                    for (Py_ssize_t r = 0; r < n; r++)
                        if (first || (ms[r] != NAT_MS && ms[r] >= start[s])) foot[r] = (char)is_foot;
                    first = 0;
                }
                for (Py_ssize_t r = 0; r < n; r++) {
                    spm[r] = foot[r] ? values[r] * 2.0 : NAN;
                    rpm[r] = foot[r] ? NAN : values[r];
                }
                mem_free(foot);
                drop_floats(array, values);
                if (failed) {
                    drop_floats(spm_array, spm);
                    drop_floats(rpm_array, rpm);
                    goto done;
                }
                if (add_channel(&ch, K.c_spm, spm_array, spm) < 0) {
                    drop_floats(rpm_array, rpm);
                    goto done;
                }
                if (add_channel(&ch, K.c_rpm, rpm_array, rpm) < 0) goto done;
            }
        }
    }
    int merged = merge_strap_hr(z, ms, n, &ch, strap_warning);
    if (merged) {
        rc = merged;
        goto done;
    }
    Py_ssize_t kept = n - untimed;
    if (untimed) {
        *dropped_warning = formatted(K.untimed, Py_BuildValue("(n)", untimed));
        if (!*dropped_warning) goto done;
    }
    void *data;
    stamps = new_array(kept, 1, "datetime64[ms]", &data);
    if (!stamps) goto done;
    int64_t *out = data;
    Py_ssize_t k = 0;
    for (Py_ssize_t r = 0; r < n; r++)
        if (ms[r] != NAT_MS) {
            out[k++] = ms[r];
            if (*first_ms == NAT_MS || ms[r] < *first_ms) *first_ms = ms[r];
            if (*last_ms == NAT_MS || ms[r] > *last_ms) *last_ms = ms[r];
        }
    dict = PyDict_New();
    if (!dict) goto done;
    for (int i = 0; i < ch.n; i++) { /* the kept rows of every channel with a value */
        Channel *item = &ch.items[i];
        int any = 0;
        double top = -INFINITY;
        for (Py_ssize_t r = 0; r < n; r++) {
            double value = item->data[r];
            if (ms[r] != NAT_MS && !isnan(value)) {
                any = 1;
                if (value > top) top = value;
            }
        }
        if (!any) continue;
        if (item->name == K.c_distance) {
            *has_distance = 1;
            *max_distance = top;
        }
        PyObject *array = item->array;
        if (untimed || !array) {
            void *kept_data;
            array = new_array(kept, 1, NULL, &kept_data);
            if (!array) goto done;
            double *values = kept_data;
            Py_ssize_t q = 0;
            for (Py_ssize_t r = 0; r < n; r++)
                if (ms[r] != NAT_MS) values[q++] = item->data[r];
        } else {
            Py_INCREF(array);
        }
        int failed = PyDict_SetItem(dict, item->name, array) < 0;
        Py_DECREF(array);
        if (failed) goto done;
    }
    PyObject *values[2] = {stamps, dict};
    *samples = instance(K.samples_type, K.a_samples, values, 2);
    rc = *samples ? 0 : -1;
done:
    if (rc) {
        Py_CLEAR(*dropped_warning);
        Py_CLEAR(*strap_warning);
    }
    mem_free(ms);
    free_channels(&ch);
    Py_XDECREF(dict);
    Py_XDECREF(stamps);
    return rc;
}

/* fit._sport: the sessions' sport (else the sport messages'), multisport when they differ.
 * New references in *sport and *sub_sport. */
static int sport_of(Decode *z, PyObject **sport, PyObject **sub_sport) {
    Message *sessions = message_of(z, 18);
    Message *source = sessions && sessions->n ? sessions : message_of(z, 12);
    Column *sports = number_column(source, K.f_sport), *subs = number_column(source, K.f_sub_sport);
    Py_ssize_t n = sports ? source->n : 0;
    PyObject *names = PyList_New(0), *distinct = PyList_New(0);
    int rc = -1;
    *sport = *sub_sport = NULL;
    if (!names || !distinct) goto done;
    for (Py_ssize_t r = 0; r < n; r++) {
        double value = first_of(sports, r);
        if (value != value) continue;
        PyObject *name = enum_name_of(K.sports, value);
        if (!name || PyList_Append(names, name) < 0) {
            Py_XDECREF(name);
            goto done;
        }
        int seen = PySequence_Contains(distinct, name);
        int transition = PyUnicode_Compare(name, K.s_transition) == 0;
        if (seen < 0 || PyErr_Occurred() || (!seen && !transition && PyObject_IsTrue(name) == 1 &&
                                             PyList_Append(distinct, name) < 0)) {
            Py_DECREF(name);
            goto done;
        }
        Py_DECREF(name);
    }
    if (PyList_GET_SIZE(distinct) > 1) {
        *sport = Py_NewRef(K.s_multisport);
        *sub_sport = Py_NewRef(Py_None);
    } else if (!PyList_GET_SIZE(distinct)) {
        *sport = Py_NewRef(K.s_generic);
        *sub_sport = Py_NewRef(Py_None);
    } else {
        PyObject *chosen = PyList_GET_ITEM(distinct, 0);
        Py_ssize_t first = PySequence_Index(names, chosen);
        if (first < 0) goto done;
        *sport = Py_NewRef(chosen);
        *sub_sport = subs && source->n > first ? enum_name_of(K.sub_sports, first_of(subs, first)) : Py_NewRef(Py_None);
        if (!*sub_sport) goto done;
    }
    rc = 0;
done:
    if (rc) {
        Py_CLEAR(*sport);
        Py_CLEAR(*sub_sport);
    }
    Py_XDECREF(names);
    Py_XDECREF(distinct);
    return rc;
}

/* The earliest valid time of a message's date_time column, NaT when none. */
static int64_t earliest(Message *m, PyObject *name) {
    Column *cc = time_column(m, name);
    int64_t found = NAT_MS;
    if (!cc) return found;
    for (Py_ssize_t r = 0; r < m->n; r++) {
        int64_t t = ms_of(cc->values[r]);
        if (t != NAT_MS && (found == NAT_MS || t < found)) found = t;
    }
    return found;
}

static PyObject *float_or_none(int found, double value) {
    return found ? PyFloat_FromDouble(value) : Py_NewRef(Py_None);
}

/* fit_decode._resolve_compressed on the Activity path: each compressed-header message's
 * time is the latest full timestamp before it (or the previous compressed time when that
 * is later), advanced by its 5-bit offset, written into its message's timestamp column.
 * 0 done, 1 decline, -1 error. */
static int place_compressed_times(Decode *z) {
    Ctx *c = z->c;
    Py_ssize_t n = c->n_msgs;
    double *full = mem_alloc((size_t)(n ? n : 1) * sizeof(double));
    Message **owner = mem_alloc((size_t)(n ? n : 1) * sizeof(Message *));
    Py_ssize_t *row = mem_alloc((size_t)(n ? n : 1) * sizeof(Py_ssize_t));
    int rc = -1;
    if (!full || !owner || !row) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        full[k] = NAN;
        owner[k] = NULL;
    }
    for (int i = 0; i < z->n_msgs; i++) {
        Message *m = &z->msgs[i];
        Column *stamp = column_named(m, K.f_timestamp);
        if (stamp && (stamp->is_object || stamp->width != 1)) { /* Python's own case */
            rc = 1;
            goto done;
        }
        for (Py_ssize_t r = 0; r < m->n; r++) {
            Py_ssize_t k = m->order[r];
            owner[k] = m;
            row[k] = r;
            if (stamp && !isnan(stamp->values[r])) {
                if (!(fabs(stamp->values[r]) < 4e18)) { /* beyond int64: Python decides */
                    rc = 1;
                    goto done;
                }
                full[k] = stamp->values[r];
            }
        }
    }
    Py_ssize_t m = c->n_comp, at = 0;
    Py_ssize_t *order = mem_alloc((size_t)(m ? m : 1) * sizeof(Py_ssize_t));
    int64_t *offsets = mem_alloc((size_t)(m ? m : 1) * sizeof(int64_t));
    double *times = mem_alloc((size_t)(m ? m : 1) * sizeof(double));
    if (!order || !offsets || !times) {
        PyErr_NoMemory();
        goto walked;
    }
    for (Py_ssize_t j = 0; j < m; j++) {
        if (j && c->comp_pos[j] < c->comp_pos[j - 1]) { /* not in file order */
            rc = 1;
            goto walked;
        }
        at = not_below(c->pos, n, c->comp_pos[j], at);
        if (at >= n) {
            rc = 1;
            goto walked;
        }
        order[j] = at;
        offsets[j] = c->comp_off[j];
    }
    int empty = compressed_walk(full, order, offsets, m, times);
    for (Py_ssize_t j = 0; j < m; j++) {
        Message *owner_of = owner[order[j]];
        if (!owner_of) continue; /* a message no table holds */
        Column *stamp = column_named(owner_of, K.f_timestamp);
        if (!stamp) { /* a new column: NaN but for the placed times */
            int col = column_of(owner_of, K.f_timestamp);
            if (col < 0) {
                PyErr_NoMemory();
                goto walked;
            }
            stamp = &owner_of->cols[col];
            stamp->is_time = 1;
            stamp->width = 1;
            stamp->values = mem_alloc((size_t)(owner_of->n ? owner_of->n : 1) * sizeof(double));
            if (!stamp->values) {
                PyErr_NoMemory();
                goto walked;
            }
            for (Py_ssize_t r = 0; r < owner_of->n; r++) stamp->values[r] = NAN;
        }
        stamp->values[row[order[j]]] = times[j];
    }
    rc = 2; /* walked: the warning next */
    if (empty && PyList_Append(c->warnings, K.compressed_empty) < 0) rc = -1;
walked:
    mem_free(order);
    mem_free(offsets);
    mem_free(times);
    if (rc != 2) goto done;
    rc = 0;
done:
    mem_free(full);
    mem_free(owner);
    mem_free(row);
    return rc;
}

/* fit_time._first_pair: absolute - relative of the first message of `m` holding a real
 * and a relative time; 0 when there is none. */
static int first_pair(Message *m, PyObject *absolute, PyObject *relative, double *offset) {
    Column *real = column_named(m, absolute), *counted = column_named(m, relative);
    if (!real || !counted || real->is_object || counted->is_object) return 0;
    for (Py_ssize_t r = 0; r < m->n; r++) {
        double a = real->values[r * real->width], b = counted->values[r * counted->width];
        if (isfinite(a) && a >= RELATIVE_LIMIT_S && isfinite(b) && b < RELATIVE_LIMIT_S) {
            *offset = a - b;
            return 1;
        }
    }
    return 0;
}

/* fit_time.resolve_relative_times on the Activity path: every date_time below the limit
 * moved by the file's correlation (else local clock) offset, or a warning. */
static int resolve_relative(Decode *z) {
    if (!has_relative_times(z)) return 0;
    double offset = 0.0;
    int found = first_pair(message_of(z, 162), K.f_timestamp, K.f_system_timestamp, &offset);
    if (!found) {
        found = first_pair(message_of(z, 34), K.f_local_timestamp, K.f_timestamp, &offset);
        if (PyList_Append(z->c->warnings, found ? K.local_clock : K.clock_unknown) < 0) return -1;
    }
    if (!found) return 0;
    for (int i = 0; i < z->n_msgs; i++) {
        Message *m = &z->msgs[i];
        for (int k = 0; k < m->n_cols; k++) {
            Column *cc = &m->cols[k];
            if (!cc->is_time || cc->is_object) continue;
            for (Py_ssize_t r = 0; r < m->n * cc->width; r++)
                if (isfinite(cc->values[r]) && cc->values[r] < RELATIVE_LIMIT_S) cc->values[r] += offset;
        }
    }
    return 0;
}

/* A record column added on the Activity path (plain memory, NaN), or the one there. */
static Column *added_column(Message *m, PyObject *name, int *existed) {
    Column *cc = column_named(m, name);
    *existed = cc != NULL;
    if (cc) return cc;
    int col = column_of(m, name);
    if (col < 0) return NULL;
    cc = &m->cols[col];
    cc->width = 1;
    cc->values = mem_alloc((size_t)(m->n ? m->n : 1) * sizeof(double));
    if (!cc->values) return NULL;
    for (Py_ssize_t r = 0; r < m->n; r++) cc->values[r] = NAN;
    return cc;
}

/* fit_decode._expand_speed_distance on the Activity path: record.compressed_speed_distance
 * (12-bit speed, 12-bit rolling distance) as speed and distance where the records have
 * none. 0 done, 1 decline (values the compiled split was not made for), -1 error. */
static int split_speed_distance(Decode *z) {
    Message *records = message_of(z, 20);
    Column *packed = column_named(records, K.f_packed);
    if (!packed || packed->is_object || packed->width < 3) return 0;
    Py_ssize_t n = records->n;
    if (!packed_bytes(packed->values, n, packed->width)) return 1;
    double *speed = mem_alloc((size_t)(n ? n : 1) * sizeof(double));
    double *distance = mem_alloc((size_t)(n ? n : 1) * sizeof(double));
    if (!speed || !distance) {
        mem_free(speed);
        mem_free(distance);
        PyErr_NoMemory();
        return -1;
    }
    split_packed(packed->values, n, packed->width, speed, distance);
    /* setdefault: columns the records have already stay as they are */
    PyObject *names[2] = {K.f_speed, K.f_distance_record};
    double *values[2] = {speed, distance};
    int rc = 0;
    for (int k = 0; k < 2 && !rc; k++) {
        int existed;
        Column *cc = added_column(records, names[k], &existed);
        if (!cc) {
            PyErr_NoMemory();
            rc = -1;
        } else if (!existed) {
            memcpy(cc->values, values[k], (size_t)n * sizeof(double));
        }
    }
    mem_free(speed);
    mem_free(distance);
    return rc;
}

static PyObject *numpy_api(PyObject *self, PyObject *unused) { return PyBool_FromLong(np_api != NULL); }

/* activity(data, source_hash or None) -> the Activity fit._read builds, or None when this
 * path declines (see above). */
static PyObject *activity(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "activity(data, source_hash)");
        return NULL;
    }
    PyObject *data = args[0], *given_hash = args[1];
    if (!K.ready || !np_empty || !direct_data || !PyBytes_Check(data)) Py_RETURN_NONE;
    arena_enter();
    Ctx c;
    memset(&c, 0, sizeof c);
    c.d = (const uint8_t *)PyBytes_AS_STRING(data);
    c.len = PyBytes_GET_SIZE(data);
    c.warnings = PyList_New(0);
    Decode z = {&c, NULL, NULL, 0, 1};
    Dev v;
    memset(&v, 0, sizeof v);
    PyObject *result = NULL, *sport = NULL, *sub_sport = NULL, *samples = NULL, *dropped = NULL, *strap = NULL;
    PyObject *fields[15] = {NULL};
    if (!c.warnings || scan(&c) != 0 || !c.n_msgs) goto done;
    if (plan_definitions(&z, Py_None) < 0 || allocate(&z) < 0 || fill(&z) < 0) goto done;
    Message *sessions = message_of(&z, 18), *records = message_of(&z, 20);
    if ((!sessions || !sessions->n) && (!records || !records->n)) goto done; /* not an activity: Python says so */
    int r = read_dev_descriptions(&c, &v);
    if (r || read_dev_fields(&c, &v) < 0) goto done;
    if (c.n_comp && place_compressed_times(&z)) goto done;
    if (resolve_relative(&z) < 0 || split_speed_distance(&z)) goto done;
    if (sport_of(&z, &sport, &sub_sport) < 0) goto done;
    int64_t first_ms, last_ms;
    int has_distance;
    double max_distance = 0.0;
    if (samples_of(&c, &z, &v, sport, &samples, &dropped, &strap, &first_ms, &last_ms, &has_distance,
                   &max_distance))
        goto done;
    int64_t start = earliest(sessions, K.f_start_time);
    if (start == NAT_MS) start = first_ms;
    if (start == NAT_MS) start = earliest(message_of(&z, 34), K.f_timestamp);
    if (start == NAT_MS) start = earliest(message_of(&z, 0), K.f_time_created);
    if (start == NAT_MS) goto done;
    int has_elapsed, has_timer, has_total;
    double elapsed = session_sum(sessions, K.f_elapsed, &has_elapsed);
    double timer = session_sum(sessions, K.f_timer, &has_timer);
    double total = session_sum(sessions, K.f_distance, &has_total);
    if (!has_elapsed) elapsed = first_ms != last_ms ? (double)(last_ms - first_ms) / 1000.0 : 0.0;
    if (!has_total && has_distance) {
        total = max_distance;
        has_total = 1;
    }
    if (dropped && PyList_Append(c.warnings, dropped) < 0) goto done;
    if (strap && PyList_Append(c.warnings, strap) < 0) goto done;
    PyObject *hash = given_hash != Py_None && PyObject_IsTrue(given_hash) == 1 ? Py_NewRef(given_hash) : NULL;
    if (!hash && !(hash = file_hash(data))) goto done;
    int multisport = PyUnicode_Compare(sport, K.s_multisport) == 0;
    fields[0] = Py_NewRef(sport);
    fields[1] = Py_NewRef(sub_sport);
    fields[2] = utc_datetime(start);
    fields[3] = PyFloat_FromDouble(elapsed);
    fields[4] = float_or_none(has_timer, timer);
    fields[5] = float_or_none(has_total, total);
    fields[6] = device_of(message_of(&z, 0));
    fields[7] = Py_NewRef(K.s_fit);
    fields[8] = hash;
    fields[9] = Py_NewRef(samples);
    fields[10] = parts_of(message_of(&z, 19), 0);
    fields[11] = Py_NewRef(Py_None);
    fields[12] = Py_NewRef(Py_None);
    fields[13] = PyList_AsTuple(c.warnings);
    fields[14] = multisport ? parts_of(sessions, 1) : PyTuple_New(0);
    for (int i = 0; i < 15; i++)
        if (!fields[i]) goto done;
    result = instance(K.activity_type, K.a_activity, fields, 15);
done:
    for (int i = 0; i < 15; i++) Py_XDECREF(fields[i]);
    Py_XDECREF(sport);
    Py_XDECREF(sub_sport);
    Py_XDECREF(samples);
    Py_XDECREF(dropped);
    Py_XDECREF(strap);
    free_dev(&v);
    free_decode(&z);
    free_ctx(&c);
    arena_leave();
    if (!result) {
        PyErr_Clear(); /* whatever went wrong, the Python steps run and say it */
        Py_RETURN_NONE;
    }
    return result;
}

static PyMethodDef methods[] = {
    {"init", init, METH_VARARGS, "Set the profile subset and numpy.empty (once)."},
    {"decode", decode, METH_VARARGS, "Scan and decode a FIT file into merged columns."},
    {"crc", crc, METH_VARARGS, "The FIT CRC (CRC-16/ARC) of bytes."},
    {"fields", fields, METH_VARARGS, "Fields of every row of a byte block (decode_fields)."},
    {"compressed", compressed_times, METH_VARARGS, "Times of compressed-header messages."},
    {"any_number", any_number, METH_VARARGS, "Whether a float array holds a non-NaN value."},
    {"times", times, METH_VARARGS, "FIT seconds as datetime64[ms] (NaT for missing)."},
    {"any_below", any_below, METH_VARARGS, "Whether a finite value is below a limit."},
    {"hr_merge", hr_merge, METH_VARARGS, "Strap heart rate merged into the records."},
    {"speed_distance", speed_distance, METH_VARARGS, "record.compressed_speed_distance split."},
    {"shifted", shifted, METH_VARARGS, "Relative times moved by an offset."},
    {"place_compressed", place_compressed, METH_VARARGS, "Compressed-header times placed."},
    {"sha256", sha256_of, METH_VARARGS, "The compiled SHA-256 hex digest (for the tests)."},
    {"numpy_api", numpy_api, METH_NOARGS, "Whether arrays are made through numpy's C-API table."},
    {"init_activity", init_activity, METH_VARARGS, "Set what the Activity path needs (once)."},
    {"activity", (PyCFunction)(void (*)(void))activity, METH_FASTCALL,
     "The Activity of a FIT file, or None to run Python."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fitcore", NULL, -1, methods};

PyMODINIT_FUNC PyInit__fitcore(void) {
    make_crc_table();
    return PyModule_Create(&module);
}
