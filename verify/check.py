"""Load hw1 deliverables the way the Gradescope autograder does.

Embedded in hw1pipe (package verify) and run as
    python3 -I - DIR RELPATH...
with this file on stdin. For each RELPATH (slash-separated, under DIR) it
prints one JSON line {"path", "status": "pass"|"fail"|"skip", "detail"}.
A file whose library (sklearn, torch, h5py) cannot be imported is "skip".
"""
import importlib
import io
import json
import math
import os
import pickle
import re
import sys
import types
import warnings
import zipfile

TRAINING_LEN = 10000
VALIDATION_LEN = 11

# Largest file each kind of deliverable may be before it is read at all. A
# curve of 10,000 floats pickles to about 90 KB; an SVC fitted on the whole
# 8,000-image training set to about 50 MB; the weights of one 784x10 layer
# to about 33 KB. A hostile file cannot make the checker read more.
MAX_BYTES = {"floats": 4 << 20, "svm": 256 << 20, "torch": 16 << 20}

# Most pickle opcodes each kind may run. Each opcode makes at most one
# small object, so this bounds the memory and time a file can cost beyond
# its own bytes. A curve takes about 10,000 (20,000 in protocol 0); an
# SVC or GridSearchCV a few thousand, its arrays being raw bytes.
MAX_OPS = {"floats": 100000, "svm": 2000000, "torch": 10000}

# ---------------------------------------------------------------------------
# What a deliverable's pickle may name.
#
# pickle.load runs whatever callable a file names (os.system, eval, ...), so
# these checks never call it. RestrictedUnpickler resolves only the globals
# below, and each may be used only in one way:
#
#   CALL  the file may call it while loading (opcode REDUCE). Only
#         reconstructors (numpy's, and protocol 2's bytes), each through a
#         wrapper that accepts exactly the arguments their writer writes.
#   NEW   the file may create an instance with no arguments and set its
#         attribute dict (NEWOBJ then BUILD: how pickle stores any plain
#         Python object, e.g. every scikit-learn estimator).
#   REF   the file may only hold it as a value; nothing calls it while
#         loading.
#
# Everything else, including builtins such as getattr, eval or __import__,
# is refused by name, before it is imported. Lists, dicts, tuples, str,
# float, int, bool and None are pickle opcodes and need no global.
# Supported writers: hw1pipe (scikit-learn 1.2 and 1.3+ layouts), and
# pickle.dump of a fitted SVC or GridSearchCV by scikit-learn 1.2 to 1.9
# with numpy 1.x (numpy.core) or 2.x (numpy._core).
ALLOWED = {
    # numpy.ndarray.__reduce__ gives _reconstruct(ndarray, (0,), b'b') and
    # then a BUILD with (version, shape, dtype, fortran, raw bytes or list).
    ("numpy.core.multiarray", "_reconstruct"): "CALL",  # numpy 1.x name
    ("numpy._core.multiarray", "_reconstruct"): "CALL",  # numpy 2.x name
    # numpy scalars (SVC._gamma, GridSearchCV.best_index_/best_score_):
    # scalar(dtype, raw bytes).
    ("numpy.core.multiarray", "scalar"): "CALL",  # numpy 1.x name
    ("numpy._core.multiarray", "scalar"): "CALL",  # numpy 2.x name
    # pickle protocol 5 stores a numeric array as
    # _frombuffer(raw bytes, dtype, shape, order).
    ("numpy.core.numeric", "_frombuffer"): "CALL",  # numpy 1.x name
    ("numpy._core.numeric", "_frombuffer"): "CALL",  # numpy 2.x name
    # Every array and scalar names its dtype as dtype('f8', False, True).
    ("numpy", "dtype"): "CALL",
    # The subtype argument of _reconstruct / _mareconstruct; never called.
    ("numpy", "ndarray"): "REF",
    # GridSearchCV.cv_results_['param_*'] are masked arrays:
    # _mareconstruct(MaskedArray, ndarray, (0,), 'b') then a BUILD.
    ("numpy.ma.core", "_mareconstruct"): "CALL",
    ("numpy.ma.core", "MaskedArray"): "REF",
    ("numpy.ma", "MaskedArray"): "REF",  # how numpy 2 names the class
    # pickle protocol 2 has no bytes opcode: it stores bytes as
    # _codecs.encode(str, 'latin1'), and b'' as bytes().
    ("_codecs", "encode"): "CALL",
    ("__builtin__", "bytes"): "CALL",  # what protocol 2 writes
    ("builtins", "bytes"): "CALL",  # the same with fix_imports=False
    # The deliverable itself: a fitted SVC, or a GridSearchCV holding one.
    ("sklearn.svm._classes", "SVC"): "NEW",
    ("sklearn.model_selection._search", "GridSearchCV"): "NEW",
    # GridSearchCV.scorer_ for scoring=None: a function up to 1.2 ...
    ("sklearn.metrics._scorer", "_passthrough_scorer"): "REF",
    # ... an object holding the estimator from 1.3 on.
    ("sklearn.metrics._scorer", "_PassthroughScorer"): "NEW",
    # scorer_ for scoring='accuracy': _PredictScorer up to 1.3, _Scorer
    # from 1.4, both holding accuracy_score.
    ("sklearn.metrics._scorer", "_PredictScorer"): "NEW",
    ("sklearn.metrics._scorer", "_Scorer"): "NEW",
    ("sklearn.metrics._classification", "accuracy_score"): "REF",
    # GridSearchCV.cv when it was given a splitter instead of an int.
    ("sklearn.model_selection._split", "KFold"): "NEW",
    ("sklearn.model_selection._split", "StratifiedKFold"): "NEW",
}

# dtypes an array or scalar may have: what SVC and GridSearchCV hold
# (float64, int32, int64, bool, object for cv_results_ columns, short str
# for string parameters). A dtype is created only from one of these
# strings, and its pickled state must be the one numpy gives that dtype, so
# a file cannot describe a record dtype whose fields point outside the
# array (numpy trusts pickled dtype state).
DTYPE_SPEC = re.compile(r"^(f8|f4|i4|i8|u1|b1|O8|U[1-9][0-9]{0,2})$")

# Most elements one array may declare: twice the support vectors of the
# whole MNIST training set (60,000 x 784).
MAX_ELEMENTS = 2 * 60000 * 784


class Skip(Exception):
    pass


class Refused(pickle.UnpicklingError):
    """The file asks for something a deliverable never needs."""


def need(module):
    try:
        return importlib.import_module(module)
    except Exception as e:  # ImportError, or a broken install
        raise Skip("python: cannot import %s (%s)" % (module, e))


class _Numpy:
    """The CALL wrappers, checking their arguments before numpy sees them."""

    def __init__(self):
        np = need("numpy")
        self.np = np
        # The real functions, whatever module numpy keeps them in.
        self.reconstruct = np.zeros(1).__reduce__()[0]
        self.scalar_fn = np.float64(0).__reduce__()[0]
        self.mareconstruct = np.ma.core._mareconstruct
        # Stand-ins for numpy.ndarray and MaskedArray: a file can hand them
        # to the wrappers below but cannot call them (NEWOBJ on a class
        # would run ndarray.__new__ with the file's arguments).
        self.ndarray_ref = type("ndarray_ref", (), {})
        self.masked_ref = type("MaskedArray_ref", (), {})
        self.dtypes = set()  # ids of dtypes made by dtype()

    def dtype(self, spec, align=False, copy=True):
        if type(spec) is not str or not DTYPE_SPEC.match(spec) or align is not False or type(copy) is not bool:
            raise Refused("refused dtype(%s, %s, %s): not a dtype a deliverable holds" % (_show(spec), _show(align), _show(copy)))
        d = self.np.dtype(spec)
        self.dtypes.add(id(d))
        return d

    def check_dtype(self, d, what):
        if not isinstance(d, self.np.dtype) or id(d) not in self.dtypes:
            raise Refused("%s: dtype is a %s, not one made by numpy.dtype" % (what, type(d).__name__))

    def reconstruct_fn(self, subtype, shape, typecode):
        if subtype is self.ndarray_ref:
            cls = self.np.ndarray
        elif subtype is self.masked_ref:
            cls = self.np.ma.MaskedArray
        else:
            raise Refused("refused _reconstruct of %s" % _show(subtype))
        if not _plain_equal(shape, (0,)) or type(typecode) is not bytes or typecode != b"b":
            raise Refused("refused _reconstruct arguments %s, %s" % (_show(shape), _show(typecode)))
        return self.reconstruct(cls, (0,), b"b")

    def mareconstruct_fn(self, subtype, baseclass, baseshape, basetype):
        if subtype is not self.masked_ref or baseclass is not self.ndarray_ref or not _plain_equal((baseshape, basetype), ((0,), "b")):
            raise Refused("refused _mareconstruct arguments")
        return self.mareconstruct(self.np.ma.MaskedArray, self.np.ndarray, (0,), "b")

    def scalar(self, dtype, data):
        self.check_dtype(dtype, "scalar")
        if dtype.kind not in "biuf" or type(data) is not bytes or len(data) != dtype.itemsize:
            raise Refused("refused scalar of dtype %s from %s" % (dtype, type(data).__name__))
        return self.scalar_fn(dtype, data)

    def frombuffer(self, buf, dtype, shape, order):
        self.check_dtype(dtype, "_frombuffer")
        if type(buf) not in (bytes, bytearray) or dtype.hasobject or type(order) is not str or order not in ("C", "F"):
            raise Refused("refused _frombuffer arguments")
        count = self.count(shape)
        if len(buf) != count * dtype.itemsize:
            raise Refused("refused _frombuffer: %d bytes for %d elements of %s" % (len(buf), count, dtype))
        return self.np.frombuffer(buf, dtype=dtype).reshape(shape, order=order)

    def count(self, shape):
        if type(shape) is not tuple or len(shape) > 32 or any(type(s) is not int or s < 0 for s in shape):
            raise Refused("refused array shape %s" % _show(shape))
        count = 1
        for s in shape:
            count *= s
        if count > MAX_ELEMENTS:
            raise Refused("refused array of %d elements" % count)
        return count

    def array_state(self, state, masked):
        """Check an ndarray / MaskedArray BUILD state before numpy reads it."""
        n = 7 if masked else 5
        if type(state) is not tuple or len(state) != n or not _plain_equal(state[0], 1):
            raise Refused("refused array state: want numpy's (1, shape, dtype, fortran, data%s)" % (", mask, fill" if masked else ""))
        shape, dtype, fortran, data = state[1:5]
        count = self.count(shape)
        self.check_dtype(dtype, "array")
        if type(fortran) is not bool:
            raise Refused("refused array state: fortran flag is a %s" % type(fortran).__name__)
        if dtype.hasobject:
            if type(data) is not list or len(data) != count:
                raise Refused("refused object array: data is not a list of %d items" % count)
        elif type(data) is not bytes or len(data) != count * dtype.itemsize:
            raise Refused("refused array data: want %d bytes" % (count * dtype.itemsize))
        if masked:
            mask = state[5]
            if type(mask) is not bytes or len(mask) != count:
                raise Refused("refused masked array mask")


def _latin1(text, encoding):
    if type(text) is not str or encoding != "latin1":
        raise Refused("refused _codecs.encode arguments")
    return text.encode("latin1")


def _empty_bytes(*args):
    if args:
        raise Refused("refused bytes(...) with arguments")
    return b""


BYTES_WRAPPERS = {
    ("_codecs", "encode"): _latin1,
    ("__builtin__", "bytes"): _empty_bytes,
    ("builtins", "bytes"): _empty_bytes,
}


def _refuse_opcode(name):
    def load(self):
        raise Refused("refused pickle opcode %s: no deliverable uses it" % name)
    return load


class RestrictedUnpickler(pickle._Unpickler):
    """pickle's pure-Python unpickler, with every opcode that can call
    something replaced by one that checks against ALLOWED first.

    The pure-Python class is used because the C one lets a subclass change
    only find_class, while REDUCE, NEWOBJ and BUILD must be checked too: an
    allowed class must not be called with the file's arguments, and numpy
    must not be handed a dtype state the file made up.
    """

    dispatch = dict(pickle._Unpickler.dispatch)

    def __init__(self, data, kind):
        super().__init__(io.BytesIO(data))
        self.ops_left = MAX_OPS[kind]
        self.numpy = None
        self.calls = {}  # id of a CALL wrapper -> its name
        self.new_ok = set()  # ids of NEW classes
        self.dict_types = (dict,)  # what SETITEM(S) may fill

    def find_class(self, module, name):
        full = "%s.%s" % (module, name)
        use = ALLOWED.get((module, name))
        if use is None:
            raise Refused("refused global %s" % full)
        if module.startswith("numpy"):
            if self.numpy is None:
                self.numpy = _Numpy()
            # Load as this numpy would: numpy 1.x has no numpy._core, so
            # pickle.load fails on a file naming it, and so must we (the
            # autograder's numpy decides). Only allowlisted numpy modules
            # get here, and importing them runs no code from the file.
            try:
                importlib.import_module(module)
            except ImportError:
                raise Refused("refused global %s: numpy %s has no module %s"
                              % (full, self.numpy.np.__version__, module))
            npw = self.numpy
            obj = {
                "_reconstruct": npw.reconstruct_fn,
                "scalar": npw.scalar,
                "dtype": npw.dtype,
                "ndarray": npw.ndarray_ref,
                "_mareconstruct": npw.mareconstruct_fn,
                "MaskedArray": npw.masked_ref,
                "_frombuffer": npw.frombuffer,
            }[name]
        elif (module, name) in BYTES_WRAPPERS:
            obj = BYTES_WRAPPERS[(module, name)]
        else:
            mod = need(module)
            obj = mod.__dict__.get(name)
            if obj is None:
                raise Refused("refused global %s: this scikit-learn has no such name" % full)
        if use == "CALL":
            self.calls[id(obj)] = full
        elif use == "NEW":
            if not isinstance(obj, type):
                raise Refused("refused global %s: not a class here" % full)
            self.new_ok.add(id(obj))
        return obj

    def load_reduce(self):
        args = self.stack[-1]
        func = self.stack[-2]
        if id(func) not in self.calls or type(args) is not tuple:
            raise Refused("refused call of %s" % _describe(func))
        pickle._Unpickler.load_reduce(self)

    dispatch[pickle.REDUCE[0]] = load_reduce

    def load_newobj(self):
        args = self.stack[-1]
        cls = self.stack[-2]
        if id(cls) not in self.new_ok or type(args) is not tuple or args:
            raise Refused("refused creation of %s" % _describe(cls))
        pickle._Unpickler.load_newobj(self)

    dispatch[pickle.NEWOBJ[0]] = load_newobj

    def load_newobj_ex(self):
        kwargs = self.stack[-1]
        args = self.stack[-2]
        cls = self.stack[-3]
        if id(cls) not in self.new_ok or type(args) is not tuple or args or type(kwargs) is not dict or kwargs:
            raise Refused("refused creation of %s" % _describe(cls))
        pickle._Unpickler.load_newobj_ex(self)

    dispatch[pickle.NEWOBJ_EX[0]] = load_newobj_ex

    def load_build(self):
        state = self.stack[-1]
        inst = self.stack[-2]
        npw = self.numpy
        if npw is not None and isinstance(inst, npw.np.dtype):
            # Only the state numpy itself gives this dtype: nothing to set.
            want = inst.__reduce__()[2]
            if not _plain_equal(state, want):
                raise Refused("refused dtype state %s for %s: not the state numpy gives it" % (_show(state), inst))
            self.stack.pop()
            return
        if npw is not None and isinstance(inst, npw.np.ndarray):
            npw.array_state(state, isinstance(inst, npw.np.ma.MaskedArray))
        elif id(type(inst)) in self.new_ok:
            if type(state) is not dict or any(type(k) is not str for k in state):
                raise Refused("refused state of %s: want a dict of attributes" % _describe(type(inst)))
        else:
            raise Refused("refused BUILD of a %s" % type(inst).__name__)
        pickle._Unpickler.load_build(self)

    dispatch[pickle.BUILD[0]] = load_build

    # Container opcodes act only on real containers (pickle would call
    # append/__setitem__/add on whatever object is below them).
    def load_append(self):
        if type(self.stack[-2]) is not list:
            raise Refused("refused APPEND to a %s" % type(self.stack[-2]).__name__)
        pickle._Unpickler.load_append(self)

    dispatch[pickle.APPEND[0]] = load_append

    def load_appends(self):
        items = self.pop_mark()
        if type(self.stack[-1]) is not list:
            raise Refused("refused APPENDS to a %s" % type(self.stack[-1]).__name__)
        self.stack[-1].extend(items)

    dispatch[pickle.APPENDS[0]] = load_appends

    def load_setitem(self):
        if type(self.stack[-3]) not in self.dict_types:
            raise Refused("refused SETITEM on a %s" % type(self.stack[-3]).__name__)
        pickle._Unpickler.load_setitem(self)

    dispatch[pickle.SETITEM[0]] = load_setitem

    def load_setitems(self):
        items = self.pop_mark()
        d = self.stack[-1]
        if type(d) not in self.dict_types:
            raise Refused("refused SETITEMS on a %s" % type(d).__name__)
        for i in range(0, len(items) - 1, 2):
            d[items[i]] = items[i + 1]

    dispatch[pickle.SETITEMS[0]] = load_setitems

    def load_additems(self):
        items = self.pop_mark()
        s = self.stack[-1]
        if type(s) is not set:
            raise Refused("refused ADDITEMS on a %s" % type(s).__name__)
        s.update(items)

    dispatch[pickle.ADDITEMS[0]] = load_additems

    # Old-protocol object creation and the copyreg extension registry:
    # nothing a deliverable contains, and each would call a class.
    for _op in ("INST", "OBJ", "EXT1", "EXT2", "EXT4"):
        dispatch[getattr(pickle, _op)[0]] = _refuse_opcode(_op)
    del _op

    def persistent_load(self, pid):
        raise Refused("refused persistent id: a deliverable pickle has none")


def _counted(load):
    def op(self):
        self.ops_left -= 1
        if self.ops_left < 0:
            raise Refused("refused: more pickle opcodes than a deliverable has")
        load(self)
    return op


RestrictedUnpickler.dispatch = {k: _counted(v) for k, v in RestrictedUnpickler.dispatch.items()}


def _describe(obj):
    """Names a class or function; for anything else only its type."""
    if isinstance(obj, (type, types.FunctionType, types.BuiltinFunctionType, types.MethodType)):
        return "%s.%s" % (obj.__module__, obj.__qualname__)
    return "a %s" % type(obj).__name__


def _show(x, depth=0):
    """A short repr of a value from the file, calling no method of any
    type but the builtin scalars (repr of an estimator runs its code)."""
    if x is None or type(x) in (bool, int, float):
        return repr(x)[:40]
    if type(x) in (str, bytes):
        r = repr(x)
        return r if len(r) <= 60 else r[:57] + "..."
    if type(x) is tuple and depth < 2:
        parts = [_show(y, depth + 1) for y in x[:8]]
        return "(" + ", ".join(parts) + (", ...)" if len(x) > 8 else ",)" if len(x) == 1 else ")")
    return "a " + type(x).__name__


def _plain_equal(a, b):
    """a == b for tuples of None/bool/int/str, without calling any other
    type's __eq__."""
    if type(a) is tuple and type(b) is tuple:
        return len(a) == len(b) and all(_plain_equal(x, y) for x, y in zip(a, b))
    if type(a) in (type(None), bool, int, str):
        return type(a) is type(b) and a == b
    return False


def read_capped(path, kind):
    st = os.stat(path)
    if st.st_size > MAX_BYTES[kind]:
        raise AssertionError("%d bytes, more than a %s deliverable can be (%d)" % (st.st_size, kind, MAX_BYTES[kind]))
    with open(path, "rb") as f:
        return f.read(MAX_BYTES[kind] + 1)


def load_pickle(path, kind):
    data = read_capped(path, kind)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            obj = RestrictedUnpickler(data, kind).load()
        except EOFError:
            raise AssertionError("truncated pickle: the data, or a length in it, runs past the end of the file") from None
    notes = sorted({str(w.message).split("\n")[0][:120] for w in caught})
    return obj, notes


def check_floats(path, n):
    obj, _ = load_pickle(path, "floats")
    if type(obj) is not list:
        raise AssertionError("unpickles to a %s, want a list" % type(obj).__name__)
    if len(obj) != n:
        raise AssertionError("unpickles to %d values, want %d" % (len(obj), n))
    for i, x in enumerate(obj):
        if type(x) is not float:
            raise AssertionError("item %d is a %s, want float" % (i, type(x).__name__))
        if not math.isfinite(x):
            raise AssertionError("item %d is %r" % (i, x))
    return "unpickled (restricted): list of %d floats, last %.4g" % (n, obj[-1])


LIBSVM_KERNELS = ("linear", "poly", "rbf", "sigmoid")


def check_svc_state(svc, np):
    """Check what SVC.predict hands to libsvm before calling it.

    libsvm's C code trusts these arrays (scikit-learn checks only some of
    them, see CVE-2020-28975): a count or a shape that disagrees with the
    data makes it read outside an array. Returns (classes, features).
    """
    a = vars(svc)

    def num(name, kinds):
        x = a.get(name)
        if type(x) is bool or not isinstance(x, kinds) or not math.isfinite(float(x)):
            raise AssertionError("SVC.%s is %s, want a finite number" % (name, _show(x)))
        return x

    def arr(name, dtype, shape):
        x = a.get(name)
        if type(x) is not np.ndarray:
            raise AssertionError("SVC.%s is a %s, want a numpy array (not fitted?)" % (name, type(x).__name__))
        if x.dtype != np.dtype(dtype) or not x.flags.c_contiguous or len(x.shape) != len(shape) or any(
                w is not None and w != g for w, g in zip(shape, x.shape)):
            raise AssertionError("SVC.%s is %s %s, want C-ordered %s %s" % (name, x.dtype, x.shape, dtype, shape))
        if x.dtype.kind == "f" and not np.all(np.isfinite(x)):
            raise AssertionError("SVC.%s has non-finite values" % name)
        return x

    # _impl is a class attribute unless the file set one.
    impl = a.get("_impl", type(svc)._impl)
    if not any(_plain_equal(a.get("kernel"), k) for k in LIBSVM_KERNELS) or not _plain_equal(impl, "c_svc") or a.get("_sparse") is not False:
        raise AssertionError("SVC kernel %s, _impl %s, _sparse %s: want a dense C-SVC with kernel one of %s" % (
            _show(a.get("kernel")), _show(impl), _show(a.get("_sparse")), ", ".join(LIBSVM_KERNELS)))
    if not any(_plain_equal(a.get("decision_function_shape"), s) for s in ("ovr", "ovo")) or type(a.get("break_ties")) is not bool:
        raise AssertionError("SVC decision_function_shape/break_ties are not scikit-learn's")
    num("_gamma", (float, np.floating))
    num("coef0", (float, int, np.floating))
    num("cache_size", (float, int, np.floating))
    deg = num("degree", (int, np.integer))
    if not 0 <= deg <= 100:
        raise AssertionError("SVC.degree is %s" % _show(deg))
    sv = arr("support_vectors_", "f8", (None, None))
    n_sv, d = sv.shape
    ns = arr("_n_support", "i4", (None,))
    k = ns.shape[0]
    if k < 2 or np.any(ns < 0) or int(ns.sum()) != n_sv or n_sv < 1:
        raise AssertionError("SVC._n_support %s does not split %d support vectors into classes" % (ns, n_sv))
    arr("support_", "i4", (n_sv,))
    arr("_dual_coef_", "f8", (k - 1, n_sv))
    pairs = k * (k - 1) // 2
    arr("_intercept_", "f8", (pairs,))
    for name in ("_probA", "_probB"):
        if arr(name, "f8", (None,)).shape[0] not in (0, pairs):
            raise AssertionError("SVC.%s has the wrong length" % name)
    classes = a.get("classes_")
    if type(classes) is not np.ndarray or classes.shape != (k,) or classes.dtype.kind not in "biuU":
        raise AssertionError("SVC.classes_ is not an array of %d labels" % k)
    nf = a.get("n_features_in_")
    if type(nf) is bool or not isinstance(nf, (int, np.integer)) or nf != d:
        raise AssertionError("SVC.n_features_in_ is %s, support vectors have %d columns" % (_show(nf), d))
    return k, d


def check_scorer(grid, sklearn_scorer, accuracy_score):
    """GridSearchCV.score calls scorer_: it must be one scikit-learn makes."""
    sc = getattr(grid, "scorer_", None)
    if sc is getattr(sklearn_scorer, "_passthrough_scorer", object()):
        return
    t = type(sc)
    if t is getattr(sklearn_scorer, "_PassthroughScorer", None):
        return
    if t in (getattr(sklearn_scorer, "_PredictScorer", None), getattr(sklearn_scorer, "_Scorer", None)):
        v = vars(sc)
        if v.get("_score_func") is accuracy_score and _plain_equal(v.get("_sign"), 1) and type(v.get("_kwargs")) is dict and not v["_kwargs"]:
            return
    raise AssertionError("GridSearchCV.scorer_ is a %s, not a scorer scikit-learn makes for accuracy" % t.__name__)


def check_svm(path):
    sklearn = need("sklearn")
    np = need("numpy")
    from sklearn.metrics import _scorer, accuracy_score
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import SVC
    from sklearn.utils.validation import check_is_fitted

    obj, notes = load_pickle(path, "svm")
    if type(obj) is GridSearchCV:
        svc = vars(obj).get("best_estimator_")
        if vars(obj).get("multimetric_") is not False or vars(obj).get("refit") is not True:
            raise AssertionError("GridSearchCV has multimetric_ %s, refit %s; want False, True" % (
                _show(vars(obj).get("multimetric_")), _show(vars(obj).get("refit"))))
        check_scorer(obj, _scorer, accuracy_score)
    else:
        svc = obj
    if type(svc) is not SVC:
        raise AssertionError("unpickles to a %s, want an SVC or GridSearchCV" % type(obj).__name__)
    check_is_fitted(obj)
    k, d = check_svc_state(svc, np)
    x = np.zeros((2, d))
    x[1] = svc.support_vectors_[0]
    pred = obj.predict(x)
    if not set(pred.tolist()) <= set(svc.classes_.tolist()):
        raise AssertionError("predict gives labels %s outside classes_" % pred)
    dec = obj.decision_function(x)
    if not np.all(np.isfinite(dec)):
        raise AssertionError("decision_function is not finite")
    acc = obj.score(x, pred)
    if acc != 1.0:
        raise AssertionError("score on its own predictions is %r" % acc)
    s = "unpickled (restricted): %s (sklearn %s), %d classes, %d features, predict/score ok" % (
        type(obj).__name__, sklearn.__version__, k, d)
    if notes:
        s += "; warnings: " + " | ".join(notes)
    return s


class _Storage:
    def __init__(self, key, numel):
        self.key, self.numel = key, numel


class _Tensor:
    pass


class TorchScreen(RestrictedUnpickler):
    """Reads a torch.save archive's data.pkl without torch: a state_dict
    is OrderedDicts of float32 tensors, each _rebuild_tensor_v2(storage,
    offset, size, stride, requires_grad, hooks) over a storage that the
    archive holds. torch.load(weights_only=True) is itself not safe in the
    torch releases Debian ships (CVE-2025-32434, fixed in 2.6;
    CVE-2026-24747, fixed in 2.10): it runs only on archives that pass this.
    """

    ALLOWED = {
        ("collections", "OrderedDict"): "CALL",  # the state_dict and its _metadata
        ("torch._utils", "_rebuild_tensor_v2"): "CALL",  # every tensor
        ("torch", "FloatStorage"): "REF",  # the float32 storage type in a persistent id
    }

    def __init__(self, data, sizes):
        super().__init__(data, "torch")
        self.sizes = sizes  # storage key -> bytes in the archive
        import collections
        self.OrderedDict = collections.OrderedDict
        self.float_storage = type("FloatStorage_ref", (), {})
        self.dict_types = (dict, collections.OrderedDict)

    def find_class(self, module, name):
        use = self.ALLOWED.get((module, name))
        if use is None:
            raise Refused("refused global %s.%s" % (module, name))
        obj = {"OrderedDict": self.ordered_dict, "_rebuild_tensor_v2": self.rebuild, "FloatStorage": self.float_storage}[name]
        if use == "CALL":
            self.calls[id(obj)] = "%s.%s" % (module, name)
        return obj

    def ordered_dict(self, *args):
        if args:
            raise Refused("refused OrderedDict(...) with arguments")
        d = self.OrderedDict()
        self.new_ok.add(id(type(d)))
        return d

    def persistent_load(self, pid):
        if type(pid) is not tuple or len(pid) != 5 or pid[0] != "storage" or pid[1] is not self.float_storage:
            raise Refused("refused persistent id %s: want ('storage', torch.FloatStorage, key, location, numel)" % _show(pid))
        key, numel = pid[2], pid[4]
        if type(key) is not str or type(numel) is not int or self.sizes.get(key) != 4 * numel:
            raise Refused("refused storage %s of %s floats: the archive holds %s bytes for it" % (_show(key), _show(numel), _show(self.sizes.get(key))))
        return _Storage(key, numel)

    def rebuild(self, storage, offset, size, stride, requires_grad=False, hooks=None, *rest):
        if type(storage) is not _Storage or type(offset) is not int or offset < 0:
            raise Refused("refused tensor: bad storage or offset")
        if type(size) is not tuple or type(stride) is not tuple or len(size) != len(stride) or len(size) > 8:
            raise Refused("refused tensor: size %s, stride %s" % (_show(size), _show(stride)))
        if any(type(x) is not int or x < 0 for x in size + stride):
            raise Refused("refused tensor: size %s, stride %s" % (_show(size), _show(stride)))
        if all(size):
            last = offset + sum((n - 1) * st for n, st in zip(size, stride))
            if last >= storage.numel:
                raise Refused("refused tensor: element %d lies outside its storage of %d" % (last, storage.numel))
        if type(requires_grad) is not bool or not (hooks is None or type(hooks) is self.OrderedDict and not hooks) or rest:
            raise Refused("refused tensor: unexpected requires_grad/hooks/metadata")
        t = _Tensor()
        t.size = size
        return t


def screen_torch(path):
    """Refuses anything but a plain zip torch.save of float32 tensors."""
    read_capped(path, "torch")
    if not zipfile.is_zipfile(path):
        raise AssertionError("not a zip archive (torch.save's format since 1.6); the legacy format is not read")
    with zipfile.ZipFile(path) as z:
        infos = z.infolist()
        pkls = [i for i in infos if i.filename.endswith("/data.pkl") and i.filename.count("/") == 1]
        if len(pkls) != 1:
            raise AssertionError("archive has %d top-level */data.pkl, want 1" % len(pkls))
        prefix = pkls[0].filename[: -len("data.pkl")]
        sizes = {}
        for i in infos:
            if i.file_size > MAX_BYTES["torch"]:
                raise AssertionError("entry %s is %d bytes" % (i.filename, i.file_size))
            if i.filename.startswith(prefix + "data/"):
                sizes[i.filename[len(prefix) + 5:]] = i.file_size
        TorchScreen(z.read(pkls[0]), sizes).load()


def check_torch(path):
    torch = need("torch")
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(784, 10)

        def forward(self, x):
            return torch.relu(self.fc1(x))

    screen_torch(path)
    sd = torch.load(path, map_location="cpu", weights_only=True)
    want = {"fc1.weight": (10, 784), "fc1.bias": (10,)}
    if set(sd.keys()) != set(want):
        raise AssertionError("state_dict keys %s, want %s" % (sorted(sd.keys()), sorted(want)))
    for k, shape in want.items():
        t = sd[k]
        if t.dtype != torch.float32 or tuple(t.shape) != shape:
            raise AssertionError("%s is %s %s, want float32 %s" % (k, t.dtype, tuple(t.shape), shape))
        if not bool(torch.isfinite(t).all()):
            raise AssertionError("%s has non-finite values" % k)
    net = Net()
    net.load_state_dict(sd, strict=True)
    out = net(torch.zeros(1, 784))
    if not bool(torch.isfinite(out).all()):
        raise AssertionError("Net output is not finite")
    return "screened, then torch.load(weights_only=True) + load_state_dict(strict) into Net (torch %s)" % torch.__version__


def describe_h5type(h5py, t):
    s = "%s of %d bytes" % (type(t).__name__, t.get_size())
    if t.get_class() == h5py.h5t.FLOAT:
        order = "little-endian" if t.get_order() == h5py.h5t.ORDER_LE else "not little-endian"
        s += ", %s, precision %d at offset %d, (sign, exponent at, exponent bits, mantissa at, mantissa bits) %s" % (
            order, t.get_precision(), t.get_offset(), t.get_fields())
    return s


def check_h5(path):
    h5py = need("h5py")
    np = need("numpy")
    with h5py.File(path, "r") as f:
        if "instance" not in f:
            raise AssertionError("no group 'instance' (has %s)" % sorted(f.keys()))
        g = f["instance"]
        want = {"w": (10, 784), "b": (10, 1)}
        for k, shape in want.items():
            if k not in g.attrs:
                raise AssertionError("group instance has no attribute %r" % k)
            # h5py converts any float layout to a numpy float: a damaged
            # datatype message would read as garbage, so insist on the
            # exact type h5py writes for float64.
            t = g.attrs.get_id(k).get_type()
            if t != h5py.h5t.IEEE_F64LE:
                raise AssertionError("attribute %s is stored as %s, want IEEE float64 little-endian" % (k, describe_h5type(h5py, t)))
            a = g.attrs[k]
            if a.dtype != np.float64 or a.shape != shape:
                raise AssertionError("attribute %s is %s %s, want float64 %s" % (k, a.dtype, a.shape, shape))
            if not np.all(np.isfinite(a)):
                raise AssertionError("attribute %s has non-finite values" % k)
    return "h5py %s: instance.attrs w float64 (10, 784), b float64 (10, 1)" % h5py.__version__


def check(path):
    base = os.path.basename(path)
    if base == "grid_search_svm.pkl":
        return check_svm(path)
    if base == "pytorch_nn_weights.pth":
        return check_torch(path)
    if base == "linear.h5":
        return check_h5(path)
    if base.endswith(".pkl"):
        return check_floats(path, TRAINING_LEN if "_training_" in base else VALIDATION_LEN)
    raise AssertionError("not a deliverable")


# A backstop under the per-file size caps and opcode budgets above: no file,
# however it slips past them, may grow this process's heap past 1 GiB (a
# legitimate submission, libraries imported, peaks far below). hw1pipe
# runs this script with one BLAS thread, so thread arenas stay small.
MAX_DATA_BYTES = 1 << 30


def limit_memory():
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        cap = MAX_DATA_BYTES if hard == resource.RLIM_INFINITY else min(hard, MAX_DATA_BYTES)
        resource.setrlimit(resource.RLIMIT_DATA, (cap, hard))
    except (ImportError, ValueError, OSError):
        pass


def main():
    limit_memory()
    root = sys.argv[1]
    for rel in sys.argv[2:]:
        path = os.path.join(root, *rel.split("/"))
        try:
            out = {"status": "pass", "detail": check(path)}
        except Skip as e:
            out = {"status": "skip", "detail": str(e)}
        except Exception as e:
            msg = str(e).split("\n")[0][:300]
            out = {"status": "fail", "detail": "python: %s: %s" % (type(e).__name__, msg)}
        out["path"] = rel
        print(json.dumps(out), flush=True)


main()
