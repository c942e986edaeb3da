// Package torchsave writes float32 tensors in the zip format of
// torch.save(state_dict, f), so that torch.load (also with
// weights_only=True) returns an OrderedDict of tensors that
// load_state_dict accepts.
//
// # Layout (docs/formats.md#zip-archive and docs/formats.md#pickled-state-dict)
//
// The archive holds <prefix>/data.pkl (a protocol-2 pickle written with
// only the opcodes torch's weights-only unpickler accepts: GLOBAL,
// BINUNICODE, BINPUT/BINGET, no frames), one <prefix>/data/<k> record per
// tensor with its raw little-endian float32 storage, and
// <prefix>/version = "3\n". Every entry is STORED with its real CRC-32
// and a data descriptor, and each payload starts at a multiple of 64
// bytes: the local header's extra field carries torch's "FB" padding
// block. Storage keys are "0", "1", ... in the order tensors were added;
// records are ordered as torch 1.13 orders them (keys compared as
// strings). The state_dict's _metadata ({module: {'version': 1}} for ""
// and every dotted prefix of the names) is written too, as torch does.
//
// Tensors are dense, C-contiguous, float32, on the CPU, with
// requires_grad False. The same tensors always give the same bytes: no
// timestamps are stored. Up to the central directory the bytes are those
// torch.save writes (tested against a torch 1.13 file); the central
// directory repeats the FB extra field and has no zip64 end record,
// which torch and Python's zipfile accept.
//
// # Errors
//
// Add checks its arguments and returns an error naming the tensor for a
// bad name, a shape that does not fit the data, or NaN or Inf (a
// state_dict holding them is a diverged model); nothing is written until Close, which writes the whole
// archive. Add or Close after Close return ErrClosed. A Writer is not
// safe for concurrent use.
//
// Add keeps a reference to the data slice: do not modify it before
// Close.
package torchsave
