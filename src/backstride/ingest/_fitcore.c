/* Optional compiled core of the FIT decoder (see fit_native.py).
 *
 * One call walks the message headers (file headers, CRCs, definitions, the byte position
 * of every data message) and decodes every wanted field of every data message straight
 * into its message's merged float64 column: the work of fit_scan.scan, fit_columns and
 * the per-definition merge of fit_decode, with the same results and the same warnings.
 * Developer fields stay in Python; this module returns what they need (the rows of the
 * definitions concerned, every message position). Separate calls do fit_decode's and
 * fit_hr's later numeric steps (compressed-header times, relative-time shifts, compressed
 * speed/distance, strap heart rate merged into the records); each returns None on input
 * it was not made for, and the numpy steps run instead.
 *
 * Built by the package build when a C compiler is present; without it the pure-Python
 * decoder runs unchanged.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
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
    int64_t *p = realloc(*first, (size_t)size * sizeof(int64_t));
    if (!p) return -1;
    *first = p;
    int32_t *q = realloc(*second, (size_t)size * sizeof(int32_t));
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
    Triple *t = n ? malloc((size_t)n * sizeof(Triple)) : NULL;
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
        Def *p = realloc(c->defs, (size_t)cap * sizeof(Def));
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
            free(def.fields);
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

typedef struct {
    int selected;
    int n_plan;
    Plan *plan;
    int message; /* index into the messages list */
} DefPlan;

typedef struct {
    int global_num;
    Py_ssize_t n;
    Py_ssize_t next_row;
    int64_t *order;
    PyObject *order_array;
    int n_cols, cap_cols;
    Column *cols;
} Message;

static int column_of(Message *m, PyObject *name) {
    for (int i = 0; i < m->n_cols; i++)
        if (m->cols[i].name == name) return i;
    if (m->n_cols == m->cap_cols) {
        int cap = m->cap_cols ? m->cap_cols * 2 : 16;
        Column *p = realloc(m->cols, (size_t)cap * sizeof(Column));
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
    static const char *names[2] = {"int64", "datetime64[ms]"};
    static PyObject *dtypes[2];
    int slot = strcmp(name, names[0]) == 0 ? 0 : strcmp(name, names[1]) == 0 ? 1 : -1;
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

static PyObject *new_array(Py_ssize_t n, int width, const char *dtype, void **data) {
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

static inline uint64_t read_uint(const uint8_t *p, int size, int big) {
    uint64_t v = 0;
    if (big)
        for (int i = 0; i < size; i++) v = v << 8 | p[i];
    else
        for (int i = size - 1; i >= 0; i--) v = v << 8 | p[i];
    return v;
}

/* One value of base type `kind` as float64, NaN when it is the type's invalid value. */
static inline double value_of(const uint8_t *p, int kind, int big) {
    switch (kind) {
    case 0x00: case 0x02: case 0x0D: return p[0] == 0xFF ? NAN : (double)p[0];
    case 0x0A: return p[0] == 0 ? NAN : (double)p[0];
    case 0x01: return p[0] == 0x7F ? NAN : (double)(int8_t)p[0];
    case 0x03: { uint16_t v = (uint16_t)read_uint(p, 2, big); return v == 0x7FFF ? NAN : (double)(int16_t)v; }
    case 0x04: { uint16_t v = (uint16_t)read_uint(p, 2, big); return v == 0xFFFF ? NAN : (double)v; }
    case 0x0B: { uint16_t v = (uint16_t)read_uint(p, 2, big); return v == 0 ? NAN : (double)v; }
    case 0x05: { uint32_t v = (uint32_t)read_uint(p, 4, big); return v == 0x7FFFFFFFu ? NAN : (double)(int32_t)v; }
    case 0x06: { uint32_t v = (uint32_t)read_uint(p, 4, big); return v == 0xFFFFFFFFu ? NAN : (double)v; }
    case 0x0C: { uint32_t v = (uint32_t)read_uint(p, 4, big); return v == 0 ? NAN : (double)v; }
    case 0x08: { uint32_t v = (uint32_t)read_uint(p, 4, big); float f; memcpy(&f, &v, 4); return (double)f; }
    case 0x09: { uint64_t v = read_uint(p, 8, big); double f; memcpy(&f, &v, 8); return f; }
    case 0x0E: { uint64_t v = read_uint(p, 8, big); return v == 0x7FFFFFFFFFFFFFFFull ? NAN : (double)(int64_t)v; }
    case 0x0F: { uint64_t v = read_uint(p, 8, big); return v == 0xFFFFFFFFFFFFFFFFull ? NAN : (double)v; }
    case 0x10: { uint64_t v = read_uint(p, 8, big); return v == 0 ? NAN : (double)v; }
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

typedef struct {
    Ctx *c;
    DefPlan *plans;
    Message *msgs;
    int n_msgs;
} Decode;

static void free_decode(Decode *z) {
    if (z->plans) {
        for (int i = 0; i < z->c->n_defs; i++) free(z->plans[i].plan);
        free(z->plans);
    }
    if (z->msgs) {
        for (int i = 0; i < z->n_msgs; i++) {
            Message *m = &z->msgs[i];
            for (int k = 0; k < m->n_cols; k++) Py_XDECREF(m->cols[k].array);
            free(m->cols);
            Py_XDECREF(m->order_array);
        }
        free(z->msgs);
    }
}

/* Which definitions are decoded, their field plans and the merged columns' shapes. */
static int plan_definitions(Decode *z, PyObject *wanted) {
    Ctx *c = z->c;
    int has_compressed = c->n_comp > 0;
    z->plans = calloc((size_t)(c->n_defs ? c->n_defs : 1), sizeof(DefPlan));
    z->msgs = calloc((size_t)(c->n_defs ? c->n_defs : 1), sizeof(Message));
    if (!z->plans || !z->msgs) return -1;
    for (int i = 0; i < c->n_defs; i++) {
        Def *def = &c->defs[i];
        DefPlan *dp = &z->plans[i];
        MsgProf *prof = profiles[def->global_num];
        if (!def->rows || !prof) continue;
        PyObject *chosen = Py_None; /* borrowed */
        if (wanted != Py_None) {
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
        dp->plan = def->n_fields ? calloc((size_t)def->n_fields, sizeof(Plan)) : NULL;
        if (def->n_fields && !dp->plan) return -1;
        /* which fields count, in field order (a field number defined twice: the first
         * one counts), then their columns: strings first, then numbers, as the
         * pure-Python decoder orders them */
        for (int f = 0; f < def->n_fields; f++) {
            Triple *t = &def->fields[f];
            FieldProf *fp = prof->by_num[t->num];
            if (!fp) continue;
            int r = is_chosen(chosen, t->num);
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
        m->order_array = new_array(m->n, 1, "int64", &data);
        if (!m->order_array) return -1;
        m->order = data;
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
            cc->array = new_array(m->n, cc->width, NULL, &data);
            if (!cc->array) return -1;
            cc->values = data;
            if (cc->covered != m->n) {
                Py_ssize_t total = m->n * cc->width;
                for (Py_ssize_t r = 0; r < total; r++) cc->values[r] = NAN;
            }
        }
    }
    return 0;
}

static int fill(Decode *z) {
    Ctx *c = z->c;
    const uint8_t *d = c->d;
    for (Py_ssize_t i = 0; i < c->n_msgs; i++) {
        int def_index = c->def_of[i];
        DefPlan *dp = &z->plans[def_index];
        if (!dp->selected) continue;
        Message *m = &z->msgs[dp->message];
        Py_ssize_t row = m->next_row++;
        m->order[row] = i;
        const uint8_t *base = d + c->pos[i] + 1;
        int big = c->defs[def_index].big_endian;
        for (int q = 0; q < dp->n_plan; q++) {
            Plan *p = &dp->plan[q];
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

/* Whether a record or session time counts from power-on (fit_time._has_relative_times). */
static int has_relative_times(Decode *z) {
    for (int i = 0; i < z->n_msgs; i++) {
        Message *m = &z->msgs[i];
        if (m->global_num != 20 && m->global_num != 18) continue;
        for (int k = 0; k < m->n_cols; k++) {
            Column *cc = &m->cols[k];
            if (cc->is_object || cc->width != 1) continue;
            if (PyUnicode_CompareWithASCIIString(cc->name, "timestamp") != 0 &&
                PyUnicode_CompareWithASCIIString(cc->name, "start_time") != 0)
                continue;
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
        order = malloc((size_t)def->rows * sizeof(int64_t));
        pos = malloc((size_t)def->rows * sizeof(int64_t));
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
        free(order);
        free(pos);
        order = pos = NULL;
        if (!item || PyList_Append(out, item) < 0) {
            Py_XDECREF(item);
            goto error;
        }
        Py_DECREF(item);
    }
    return out;
error:
    free(order);
    free(pos);
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
        free(c->defs[i].fields);
        free(c->defs[i].dev);
    }
    free(c->defs);
    free(c->pos);
    free(c->def_of);
    free(c->comp_pos);
    free(c->comp_off);
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
    Decode z = {&c, NULL, NULL, 0};
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
            profiles[num] = calloc(1, sizeof(MsgProf));
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
                fp = calloc(1, sizeof(FieldProf));
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
    if (check_direct_data() < 0) return NULL;
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
static PyObject *speed_distance(PyObject *self, PyObject *args) {
    PyObject *array;
    if (!PyArg_ParseTuple(args, "O", &array)) return NULL;
    Py_buffer view;
    Py_ssize_t n, w;
    double *packed = float_rows(array, &view, &n, &w);
    if (!packed) Py_RETURN_NONE;
    PyObject *out = NULL, *speed = NULL, *distance = NULL;
    if (w < 3) goto fallback;
    for (Py_ssize_t i = 0; i < n; i++)
        for (int c = 0; c < 3; c++) {
            double b = packed[i * w + c];
            if (!isnan(b) && !(b >= 0.0 && b < 2147483648.0 && b == floor(b))) goto fallback;
        }
    void *sbuf, *dbuf;
    speed = new_array(n, 1, NULL, &sbuf);
    distance = speed ? new_array(n, 1, NULL, &dbuf) : NULL;
    if (!distance) goto done;
    double *s = sbuf, *d = dbuf;
    int64_t previous = 0, total = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const double *p = packed + i * w;
        if (isnan(p[0])) {
            s[i] = d[i] = NAN;
            continue;
        }
        int64_t b0 = isnan(p[0]) ? 0 : (int64_t)p[0], b1 = isnan(p[1]) ? 0 : (int64_t)p[1],
                b2 = isnan(p[2]) ? 0 : (int64_t)p[2];
        s[i] = (double)(b0 | (b1 & 0x0F) << 8) / 100.0;
        int64_t d12 = b1 >> 4 | b2 << 4;
        total += (d12 - previous) & 0xFFF;
        previous = d12;
        d[i] = (double)total / 16.0;
    }
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
    /* walk the file order: the latest full timestamp before each compressed message */
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
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fitcore", NULL, -1, methods};

PyMODINIT_FUNC PyInit__fitcore(void) {
    make_crc_table();
    return PyModule_Create(&module);
}
