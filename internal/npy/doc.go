// Package npy reads and writes 2-D NumPy .npy files as gonum matrices.
//
// It is the door through which users bring their own Q, K and V, so it is
// strict: anything it cannot read exactly is refused with an error that
// names the file and what is wrong, and never misread. Messages quote what
// a header holds cut to a few dozen bytes (a header may be 1 MiB).
//
// # What Read accepts
//
//   - Format versions 1.0, 2.0 (4-byte header length) and 3.0 (UTF-8 header).
//     Header alignment is not checked (NumPy does not check it either).
//   - The header dict as a Python literal: keys 'descr', 'fortran_order' and
//     'shape' in any order, single or double quotes, any spacing, trailing
//     commas, Python 2 long suffixes (3L). Missing, duplicate or extra keys
//     are refused.
//   - dtypes float16, float32, float64 in little ('<'), big ('>'), native ('=')
//     or unspecified byte order; integers i1..i8 and u1..u8; bool (b1). Every
//     value becomes a float64 exactly: integers with |v| > 2^53 are refused
//     (naming the row and column), because float64 cannot hold every such
//     integer. Complex, object, string, datetime, structured and long-double
//     dtypes are refused.
//   - C order and Fortran order.
//   - 2-D arrays. A 1-D array of length n is read as one row (1×n), the
//     natural reading of a single query vector; the caller can tell from
//     Header.Shape. 0-D and 3-D or higher arrays are refused (the shape is in
//     the message), and so are arrays with a zero dimension (gonum matrices
//     cannot be empty).
//   - Every value must be finite: the first NaN or ±Inf, in row-major order, is
//     refused with its row and column (0-based, as NumPy indexes).
//
// Truncated data is refused saying how many bytes were expected and how many
// are present; bytes after the data (trailing garbage, or a second array
// appended to the file) are refused too, since the file is then not what its
// header says (on a stream, at most 1 MiB of them is counted: a pipe may
// never end). Memory grows only with the bytes actually present, so a header
// that claims an enormous shape costs nothing before it is refused.
//
// Open reads and checks only the header (and a regular file's length), so
// that a caller with several inputs checks every shape, and the memory the
// whole run will need, before any data is read; File.Read then decodes.
//
// # What Write produces
//
// Version 1.0 (2.0 only if the header does not fit in 65535 bytes), descr
// '<f8', C order, the header padded with spaces and ended by '\n' so that the
// data starts at a multiple of 64 bytes, as NumPy itself writes. Write does not
// refuse non-finite values: it writes what it is given. WriteFile is atomic:
// it writes a temporary file in the destination directory, syncs it and renames
// it over the destination, so a reader sees the old file or the new one, never
// a partial one. Destination says what that rename may replace: a regular
// file (through links, which are kept) or a truly dangling link, and nothing
// else: not a directory, pipe or device, not a link whose target cannot be
// examined, not a link through /proc or /dev/fd (an open descriptor such as
// /dev/stdout, whose file is not the caller's to replace).
//
// Cost: O(bytes) time. ReadFile on a regular file knows the data's length
// from the file size, refuses a wrong length before reading any data, and
// decodes in 1 MiB chunks straight into the matrix (memory: the matrix and a
// chunk). Read on any other reader holds the raw bytes and the matrix at once
// (at most 2× the float64 matrix). Write streams.
package npy
