#include "core/appended_zip.h"

#include <zlib.h>

#include <algorithm>
#include <cstring>

namespace detlite::zip {
namespace {

constexpr uint32_t kEocd = 0x06054b50, kCentral = 0x02014b50, kLocal = 0x04034b50;
constexpr size_t kEocdSize = 22, kCentralSize = 46, kLocalSize = 30;

uint32_t U32(const uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16) | (uint32_t{p[3]} << 24); }
uint16_t U16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
void Put32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

struct Entry {
  size_t central = 0;  // position of its central directory record
  size_t local = 0;    // local header offset as recorded (absolute)
};

struct Layout {
  size_t eocd = 0;
  size_t cd_offset = 0;  // as recorded
  std::vector<Entry> entries;
};

// A deflated entry's bytes, or nullopt when they do not inflate to exactly
// `usize` bytes.
std::optional<std::vector<uint8_t>> Inflate(const uint8_t* data, size_t csize, size_t usize) {
  std::vector<uint8_t> out(usize);
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return std::nullopt;
  z.next_in = const_cast<uint8_t*>(data);
  z.avail_in = static_cast<uInt>(csize);
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(usize);
  const int rc = inflate(&z, Z_FINISH);
  const bool ok = rc == Z_STREAM_END && z.total_out == usize;
  inflateEnd(&z);
  if (!ok) return std::nullopt;
  return out;
}

// Parses the archive whose end is at data + size; recorded offsets count
// from data - base (base = where offset 0 is, relative to data).
std::optional<Layout> Parse(const uint8_t* data, size_t size, int64_t base) {
  if (size < kEocdSize) return std::nullopt;
  const size_t lowest = size >= kEocdSize + 65535 ? size - kEocdSize - 65535 : 0;
  for (size_t pos = size - kEocdSize + 1; pos-- > lowest;) {
    if (U32(data + pos) != kEocd || pos + kEocdSize + U16(data + pos + 20) != size) continue;
    Layout l;
    l.eocd = pos;
    const uint16_t count = U16(data + pos + 10);
    const uint32_t cd_size = U32(data + pos + 12);
    l.cd_offset = U32(data + pos + 16);
    const int64_t cd = static_cast<int64_t>(l.cd_offset) - base;
    if (U16(data + pos + 4) != 0 || U16(data + pos + 6) != 0 || count == 0 || cd < 0 ||
        static_cast<uint64_t>(cd) + cd_size != pos) {
      return std::nullopt;  // multi-disk, empty, or a directory not right before the end record
    }
    size_t p = static_cast<size_t>(cd);
    for (uint16_t i = 0; i < count; ++i) {
      if (p + kCentralSize > pos || U32(data + p) != kCentral) return std::nullopt;
      Entry e;
      e.central = p;
      e.local = U32(data + p + 42);
      const int64_t local = static_cast<int64_t>(e.local) - base;
      if (local < 0 || static_cast<uint64_t>(local) + kLocalSize > static_cast<uint64_t>(cd) ||
          U32(data + local) != kLocal) {
        return std::nullopt;
      }
      l.entries.push_back(e);
      p += kCentralSize + U16(data + p + 28) + U16(data + p + 30) + U16(data + p + 32);
    }
    if (p != pos) return std::nullopt;
    return l;
  }
  return std::nullopt;
}

}  // namespace

std::optional<size_t> FindAppendedZip(const uint8_t* data, size_t size) {
  auto l = Parse(data, size, 0);
  if (!l) return std::nullopt;
  size_t start = l->cd_offset;
  for (const Entry& e : l->entries) start = std::min(start, e.local);
  return start;
}

std::optional<std::vector<uint8_t>> Relocate(const std::vector<uint8_t>& zip, size_t old_start,
                                             size_t new_start) {
  auto l = Parse(zip.data(), zip.size(), static_cast<int64_t>(old_start));
  if (!l) return std::nullopt;
  std::vector<uint8_t> out = zip;
  auto moved = [&](size_t v) -> std::optional<uint32_t> {
    uint64_t m = static_cast<uint64_t>(v) - old_start + new_start;
    if (m > 0xffffffffu) return std::nullopt;
    return static_cast<uint32_t>(m);
  };
  for (const Entry& e : l->entries) {
    auto v = moved(e.local);
    if (!v) return std::nullopt;
    Put32(out.data() + e.central + 42, *v);
  }
  auto cd = moved(l->cd_offset);
  if (!cd) return std::nullopt;
  Put32(out.data() + l->eocd + 16, *cd);
  return out;
}

std::map<std::string, std::vector<uint8_t>> StoredFiles(const std::vector<uint8_t>& zip,
                                                        size_t start) {
  std::map<std::string, std::vector<uint8_t>> files;
  auto l = Parse(zip.data(), zip.size(), static_cast<int64_t>(start));
  if (!l) return files;
  for (const Entry& e : l->entries) {
    const uint8_t* c = zip.data() + e.central;
    const size_t local = e.local - start;
    const uint8_t* h = zip.data() + local;
    const uint32_t csize = U32(c + 20), usize = U32(c + 24);
    const size_t data = local + kLocalSize + U16(h + 26) + U16(h + 28);
    const uint16_t method = U16(c + 10);
    if (data > zip.size() || csize > zip.size() - data || usize > kMaxFileBytes) {
      continue;  // inconsistent, or larger than any label file
    }
    std::string name(reinterpret_cast<const char*>(c + kCentralSize), U16(c + 28));
    const uint8_t* bytes = zip.data() + data;
    if (method == 0 && csize == usize) {
      files[name] = std::vector<uint8_t>(bytes, bytes + csize);
    } else if (method == 8) {
      if (auto inflated = Inflate(bytes, csize, usize)) files[name] = *std::move(inflated);
    }
  }
  return files;
}

}  // namespace detlite::zip
