// NumPy .npy arrays: how tensors go in and out of detlite as files.
//
// Layout: the 6 bytes "\x93NUMPY", major and minor version bytes (1.0, 2.0 or
// 3.0), the header length (u16 LE for 1.0, u32 LE for 2.0/3.0), then the
// header: a Python dict literal
//   {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
// padded with spaces and ending in '\n' so the data starts at a multiple of
// 64; 3.0 only allows UTF-8 there. The data follows: product(shape) elements
// of descr's type, in C order here (fortran_order True is refused). Readers
// check every field and that exactly product(shape) * itemsize bytes follow.
//
// Types: '<f4' '<f2' '<f8' '|i1' '|u1' '<i2' '<i4' '<i8' '<u2' '<u4' '<u8'
// '|b1' (little endian; big-endian files are refused).
#ifndef DETLITE_DATA_NPY_H_
#define DETLITE_DATA_NPY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/dtype.h"
#include "core/shape.h"
#include "detlite/status.h"

namespace detlite {

struct NpyArray {
  DType dtype = DType::kFloat32;
  Shape shape;                 // rank 0 is a scalar
  std::vector<uint8_t> bytes;  // little endian, C order
};

// `name` is used in messages. Errors: InvalidArgument (not a .npy file),
// DataLoss (corrupt or truncated), Unimplemented (valid but unsupported:
// big endian, fortran order, other dtypes).
StatusOr<NpyArray> ParseNpy(const uint8_t* data, size_t size,
                            const std::string& name);
StatusOr<NpyArray> ReadNpyFile(const std::string& path);

// Format 1.0, byte for byte what numpy.save writes for the same array.
StatusOr<std::vector<uint8_t>> SerializeNpy(const NpyArray& array);
// Written atomically.
Status WriteNpyFile(const std::string& path, const NpyArray& array);

// The .npy type string of `dtype` ("<f4"), or "" if .npy support lacks it.
std::string NpyDescr(DType dtype);

}  // namespace detlite

#endif  // DETLITE_DATA_NPY_H_
