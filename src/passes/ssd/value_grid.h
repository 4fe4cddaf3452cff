// Whether a float tensor's values were stored on an 8-bit (or 16-bit)
// grid by whatever wrote it, and that grid's step. The TF.js converter
// stores weights as uint8 or uint16 levels (value = min + level * scale) and
// its importer hands on the decoded floats, so an anchor tensor can sit up
// to half a step off its generator's exact values while the file does not
// carry the step. Read from the values themselves: at most 256 distinct
// values, each a whole number of steps from the smallest, on a grid of 64 to
// 255 steps over their range. (A 16-bit grid's step is below the anchors' float
// tolerance anyway.)
#ifndef DETLITE_PASSES_SSD_VALUE_GRID_H_
#define DETLITE_PASSES_SSD_VALUE_GRID_H_

#include <cstddef>

namespace detlite::ssd {

// The grid step of values[0], values[stride], ... below n, or 0 when they
// are on no such grid (float values, too few distinct ones to tell: fewer
// than 8).
float StorageStep(const float* values, size_t n, size_t stride = 1);

// For n/4 anchors (4 values each): the step of the whole tensor if it was
// stored as one, else the widest of the four columns' steps when each was
// stored on its own grid (TF.js graphs keep ycenter, xcenter, height and
// width as four constants); 0 if any column is on no grid.
float AnchorStorageStep(const float* anchors, size_t n);

}  // namespace detlite::ssd

#endif  // DETLITE_PASSES_SSD_VALUE_GRID_H_
