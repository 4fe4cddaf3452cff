#!/usr/bin/env python3
"""Writes the seed corpora in corpus/<target>/ from the real files in
../shared/data (and, for images, tiny crops of real photos written by
cjpeg and by the small PNG/BMP writers below). Run from the repo root:

    python3 tests/fuzz/make_seeds.py [DATA_DIR]

Multi-file seeds join the files with the separator of fuzz_util.h; a
leading selector byte picks the reader where a target has several.
"""
import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib

SEP = b"\n@@DLFZ@@\n"
HERE = os.path.dirname(os.path.abspath(__file__))
DATA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "..", "shared", "data")


def rd(*path):
    with open(os.path.join(DATA, *path), "rb") as f:
        return f.read()


def put(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def tflite():
    model = rd("tflite", "half_plus_two.tflite")
    put("tflite_reader_fuzzer", "half_plus_two", model)
    # A model with a label file appended as TFLite's metadata writer does.
    buf = io.BytesIO()
    buf.write(model)
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("labels.txt", rd("tflite", "ssd_mobilenetv2_oidv4_labelmap.txt"))
    put("tflite_reader_fuzzer", "half_plus_two_with_labels", buf.getvalue())


def read_table(index):
    """Key/value pairs of a LevelDB-style table (uncompressed blocks)."""
    def varint(b, p):
        v, shift = 0, 0
        while True:
            c = b[p]; p += 1
            v |= (c & 0x7f) << shift; shift += 7
            if not c & 0x80:
                return v, p

    def unsnappy(b):
        n, p = varint(b, 0)
        out = bytearray()
        while p < len(b):
            tag = b[p]; p += 1
            if tag & 3 == 0:
                length = tag >> 2
                if length >= 60:
                    extra = length - 59
                    length = int.from_bytes(b[p:p + extra], "little"); p += extra
                out += b[p:p + length + 1]; p += length + 1
                continue
            if tag & 3 == 1:
                length, offset = 4 + ((tag >> 2) & 7), ((tag >> 5) << 8) | b[p]; p += 1
            else:
                size = 2 if tag & 3 == 2 else 4
                length, offset = (tag >> 2) + 1, int.from_bytes(b[p:p + size], "little"); p += size
            for _ in range(length):
                out.append(out[-offset])
        assert len(out) == n
        return bytes(out)

    def block(off, size):
        b = index[off:off + size]
        if index[off + size] == 1:
            b = unsnappy(b)
        restarts = struct.unpack("<I", b[-4:])[0]
        end, p, key, out = len(b) - 4 - 4 * restarts, 0, b"", []
        while p < end:
            shared, p = varint(b, p)
            unshared, p = varint(b, p)
            vlen, p = varint(b, p)
            key = key[:shared] + b[p:p + unshared]; p += unshared
            out.append((key, b[p:p + vlen])); p += vlen
        return out

    footer = index[-48:]
    _, p = varint(footer, 0)
    _, p = varint(footer, p)
    ioff, p = varint(footer, p)
    isize, p = varint(footer, p)
    pairs = []
    for _, handle in block(ioff, isize):
        off, q = varint(handle, 0)
        size, _ = varint(handle, q)
        pairs += block(off, size)
    return pairs


def tf():
    put("tf_graphdef_fuzzer", "frozen_graph_def", rd("tf", "graph_fixtures", "frozen_graph_def.pb"))
    put("tf_graphdef_fuzzer", "tf_graph_def", rd("tf", "graph_fixtures", "tf_graph_def.pb"))
    saved = {
        "half_plus_two": ("tf", "saved_models", "half_plus_two_cpu", "00000123"),
        "half_plus_three": ("tf", "saved_models", "half_plus_three", "00000123"),
        "counter": ("tf", "saved_models", "counter", "00000123"),
        "half_plus_two_tf2": ("tf", "saved_models", "half_plus_two_tf2_cpu", "00000123"),
        "mediapipe_fixture": ("tf", "graph_fixtures", "tensorflow_saved_model", "00000000"),
    }
    for name, d in saved.items():
        pb = rd(*d, "saved_model.pb")
        index = rd(*d, "variables", "variables.index")
        shard = rd(*d, "variables", "variables.data-00000-of-00001")
        put("tf_saved_model_fuzzer", name, SEP.join([pb, index, shard]))
        put("tf_bundle_fuzzer", name + "_bundle", b"\x00" + index + SEP + shard)
        put("tf_bundle_fuzzer", name + "_table", b"\x01" + index)
        parts = [shard]
        for key, value in read_table(index):
            parts += [key, value]
        put("tf_bundle_fuzzer", name + "_entries", b"\x03" + SEP.join(parts))
    put("tf_bundle_fuzzer", "v1_model_chkpt", b"\x02" + rd("tf", "graph_fixtures", "model.chkpt-0"))
    put("tf_bundle_fuzzer", "v1_export",
        b"\x02" + rd("tf", "graph_fixtures", "bundle", "00000000", "export-00000-of-00001"))


def datasets():
    put("dataset_readers_fuzzer", "coco_mini", b"\x00" + rd("datasets", "coco_mini", "labels.json"))
    ann = os.path.join(DATA, "datasets", "voc_mini", "Annotations")
    for f in sorted(os.listdir(ann)):
        put("dataset_readers_fuzzer", "voc_" + f[:8], b"\x01" + rd("datasets", "voc_mini", "Annotations", f))
    rec = rd("datasets", "pets_examples.record")
    # The two smallest records of the real file (12029 and 11091 bytes).
    offset, index, small = 0, 0, []
    while offset < len(rec):
        n = struct.unpack("<Q", rec[offset:offset + 8])[0]
        if n < 13000:
            put("dataset_readers_fuzzer", "pets_example_%d" % index, b"\x02" + rec[offset + 12:offset + 12 + n])
            put("dataset_readers_fuzzer", "pets_record_%d" % index, b"\x03" + rec[offset:offset + 16 + n])
            small.append(rec[offset + 12:offset + 12 + n])
        offset += 16 + n
        index += 1
    put("dataset_readers_fuzzer", "pets_records_unframed", b"\x04" + SEP.join(small))


def label_maps():
    t = "label_map_fuzzer"
    lines = rd("tflite", "coco_ssd_mobilenet_v1_labelmap.txt")
    idname = rd("tflite", "mobilenet_ssd_v2_coco_labels.txt")
    pbtxt = rd("tf", "od_api_configs", "pet_label_map.pbtxt")
    yaml = rd("tflite", "yolo11n_metadata.yaml")
    as_json = json.dumps({str(i): n for i, n in enumerate(
        rd("tflite", "ssd_mobilenetv2_oidv4_labelmap.txt").decode().splitlines())}).encode()
    for sel, name, data in [(0, "lines_auto", lines), (4, "idname_auto", idname), (1, "pbtxt_auto", pbtxt),
                            (3, "yaml_auto", yaml), (2, "json_auto", as_json), (5, "lines", lines),
                            (6, "pbtxt", pbtxt), (7, "idname", idname), (8, "yaml", yaml), (9, "json", as_json)]:
        put(t, name, bytes([sel]) + data)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("labelmap.txt", lines)
        z.writestr(zipfile.ZipInfo("metadata.json"), as_json, compress_type=zipfile.ZIP_DEFLATED)
    put(t, "zip", b"\x0a" + buf.getvalue())


def pipeline_configs():
    d = os.path.join(DATA, "tf", "od_api_configs")
    for f in sorted(os.listdir(d)):
        if f.endswith(".config"):
            put("pipeline_config_fuzzer", f[:-7], rd("tf", "od_api_configs", f))
    put("pipeline_config_fuzzer", "ssdlite_0.5_320", rd("tf", "ssdlite_mobilenet_v2_0.5_320_no_weights", "pipeline.config"))


def npy_file(descr, shape, data):
    dims = "(%s)" % (", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else ""))
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, dims)
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * (pad % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + data


def npys():
    t = "npy_fuzzer"
    put(t, "f4_2x3", npy_file("<f4", [2, 3], struct.pack("<6f", 0.5, -1, 2, 3.25, 1e-3, 7)))
    put(t, "u1_1x2x2x3", npy_file("|u1", [1, 2, 2, 3], bytes(range(12))))
    put(t, "i1_4", npy_file("|i1", [4], bytes([0, 1, 0x80, 0x7f])))
    put(t, "f2_scalar", npy_file("<f2", [], b"\x00\x3c"))
    put(t, "i8_0", npy_file("<i8", [0], b""))
    put(t, "b1_3", npy_file("|b1", [3], b"\x01\x00\x01"))
    # Files numpy itself wrote (versions 1.0, 2.0, 3.0).
    fixtures = os.path.join(HERE, "..", "data", "fixtures")
    for f in sorted(os.listdir(fixtures)):
        if f.startswith("numpy_") and f.endswith(".npy"):
            with open(os.path.join(fixtures, f), "rb") as src:
                put(t, f[:-4], src.read())


def read_ppm(data):
    parts, pos = [], 0
    while len(parts) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        parts.append(data[pos:end])
        pos = end
    w, h = int(parts[1]), int(parts[2])
    return w, h, data[pos + 1:pos + 1 + w * h * 3]


def png(w, h, color_type, depth, rows, palette=None):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + r for r in rows)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, color_type, 0, 0, 0))
    if palette:
        out += chunk(b"PLTE", palette)
    return out + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def bmp(w, h, bpp, rows, palette=b""):
    stride = (w * bpp // 8 + 3) & ~3
    pixels = b"".join(r + b"\x00" * (stride - len(r)) for r in reversed(rows))
    offset = 14 + 40 + len(palette)
    info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, bpp, 0, len(pixels), 2835, 2835, len(palette) // 4, 0)
    return b"BM" + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset) + info + palette + pixels


def images():
    t = "image_decode_fuzzer"
    ppm = subprocess.run(["djpeg", "-scale", "1/8", "-ppm", os.path.join(DATA, "images", "burger.jpg")],
                         check=True, capture_output=True).stdout
    w, h, rgb = read_ppm(ppm)
    cw, ch = 12, 8  # a crop of the real photo
    rows = [rgb[(y * w) * 3:(y * w + cw) * 3] for y in range(ch)]
    crop = b"P6\n%d %d\n255\n" % (cw, ch) + b"".join(rows)
    for name, args in [("baseline", []), ("progressive", ["-progressive"]), ("grayscale", ["-grayscale"]),
                       ("q20_optimize", ["-quality", "20", "-optimize"]), ("restart", ["-restart", "1"])]:
        jpg = subprocess.run(["cjpeg"] + args, input=crop, check=True, capture_output=True).stdout
        put(t, "jpeg_" + name, b"\x00" + jpg)
        put(t, "jpeg_" + name + "_direct", b"\x01" + jpg)
    grey = [bytes(r[i] for i in range(0, len(r), 3)) for r in rows]
    rgba = [b"".join(r[i:i + 3] + b"\xff" for i in range(0, len(r), 3)) for r in rows]
    pal_rows = [bytes((r[i] >> 6) for i in range(0, len(r), 3)) for r in rows]
    palette = b"".join(bytes([v, v, v]) for v in (0, 85, 170, 255))
    rgb16 = [b"".join(bytes([c, c]) for c in r) for r in rows]
    for name, data in [("png_rgb", png(cw, ch, 2, 8, rows)), ("png_grey", png(cw, ch, 0, 8, grey)),
                       ("png_rgba", png(cw, ch, 6, 8, rgba)), ("png_rgb16", png(cw, ch, 2, 16, rgb16)),
                       ("png_palette", png(cw, ch, 3, 8, pal_rows, palette))]:
        put(t, name, b"\x00" + data)
        put(t, name + "_direct", b"\x02" + data)
    bgr = [b"".join(r[i:i + 3][::-1] for i in range(0, len(r), 3)) for r in rows]
    bgra = [b"".join(r[i:i + 3][::-1] + b"\xff" for i in range(0, len(r), 3)) for r in rows]
    pal_bmp = b"".join(bytes([v, v, v, 0]) for v in (0, 85, 170, 255))
    for name, data in [("bmp24", bmp(cw, ch, 24, bgr)), ("bmp32", bmp(cw, ch, 32, bgra)),
                       ("bmp8", bmp(cw, ch, 8, pal_rows, pal_bmp))]:
        put(t, name, b"\x00" + data)
        put(t, name + "_direct", b"\x03" + data)


if __name__ == "__main__":
    tflite()
    tf()
    datasets()
    label_maps()
    pipeline_configs()
    npys()
    images()
