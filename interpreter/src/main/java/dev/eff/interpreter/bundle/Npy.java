package dev.eff.interpreter.bundle;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * NumPy's {@code .npy} format (a magic string, a version, a Python-literal header giving {@code descr},
 * {@code fortran_order} and {@code shape}, then the raw elements) and {@code .npz} (a zip of {@code NAME.npy} entries,
 * stored or deflated as {@code np.savez_compressed} writes them). Writing uses ND4J's encoder; reading parses the
 * header here because ND4J's reader ignores {@code fortran_order} (transposing such arrays silently), cannot read
 * compressed archives, and hands malformed headers to native code.
 */
public final class Npy {
    private Npy() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'"),
            FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)"),
            SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /** A file or entry that is not a readable NumPy array; the message says what is wrong with it. */
    public static final class FormatException extends IOException {
        public FormatException(String message) { super(message); }
    }

    /** The {@code .npy} encoding of {@code array} (C order, little-endian, its own data type). */
    public static byte[] encode(INDArray array) {
        return Nd4j.toNpyByteArray(array.dup('c'));
    }

    /** The array a {@code .npy} encoding holds; {@code what} names it in error messages. */
    public static INDArray decode(byte[] bytes, String what) throws FormatException {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new FormatException(what + " is not a NumPy .npy array (no \\x93NUMPY magic)");
        }
        int major = bytes[6];
        in.position(8);
        long headerLength = major == 1 ? Short.toUnsignedInt(in.getShort()) : major == 2 || major == 3
                ? Integer.toUnsignedLong(in.getInt()) : -1;
        if (headerLength < 0) throw new FormatException(what + " uses .npy format version " + major + ", not 1, 2 or 3");
        if (in.position() + headerLength > bytes.length) throw new FormatException(what + " is truncated inside its header");
        String header = new String(bytes, in.position(), (int) headerLength, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        in.position(in.position() + (int) headerLength);
        Matcher d = DESCR.matcher(header), f = FORTRAN.matcher(header), s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) throw new FormatException(what + " has a malformed .npy header: " + header.strip());
        long[] shape = parseShape(s.group(1), what);
        long n = 1;
        for (long dim : shape) {
            n = Math.multiplyExact(n, dim);
            if (n > MAX_ELEMENTS) throw new FormatException(what + " has too many elements: shape " + Arrays.toString(shape));
        }
        ElementType type = ElementType.of(d.group(2), Integer.parseInt(d.group(3)), what, d.group(0));
        long need = n * type.size;
        if (in.remaining() < need) {
            throw new FormatException(what + " is truncated: shape " + Arrays.toString(shape) + " needs " + need
                    + " bytes of data, the file holds " + in.remaining());
        }
        in.order(d.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        INDArray flat = type.read(in, (int) n);
        boolean fortran = f.group(1).equals("True");
        if (shape.length == 0) return flat.reshape(new long[0]);
        if (!fortran) return flat.reshape('c', shape);
        return flat.reshape('f', shape).dup('c');
    }

    private static long[] parseShape(String text, String what) throws FormatException {
        List<Long> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) continue;
            try {
                long v = Long.parseLong(p.endsWith("L") ? p.substring(0, p.length() - 1) : p);
                if (v < 0) throw new NumberFormatException();
                dims.add(v);
            } catch (NumberFormatException e) {
                throw new FormatException(what + " has a malformed shape (" + text + ")");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** The element types Eff reads: floats and signed integers of the usual widths, bytes and booleans. */
    private enum ElementType {
        F4(4), F8(8), I1(1), I2(2), I4(4), I8(8), U1(1), B1(1);

        final int size;

        ElementType(int size) { this.size = size; }

        static ElementType of(String kind, int size, String what, String descr) throws FormatException {
            for (ElementType t : values()) {
                if (t.name().equals(kind.toUpperCase(java.util.Locale.ROOT) + size)) return t;
            }
            throw new FormatException(what + " holds elements of type " + descr.substring(descr.indexOf(':') + 1).strip()
                    + ", which Eff cannot read (float32, float64, signed integers, uint8 and bool can be read)");
        }

        INDArray read(ByteBuffer in, int n) {
            return switch (this) {
                case F4 -> {
                    float[] v = new float[n];
                    in.asFloatBuffer().get(v);
                    yield Nd4j.createFromArray(v);
                }
                case F8 -> {
                    double[] v = new double[n];
                    in.asDoubleBuffer().get(v);
                    yield Nd4j.createFromArray(v);
                }
                case I4 -> {
                    int[] v = new int[n];
                    in.asIntBuffer().get(v);
                    yield Nd4j.createFromArray(v);
                }
                case I8 -> {
                    long[] v = new long[n];
                    in.asLongBuffer().get(v);
                    yield Nd4j.createFromArray(v);
                }
                case I2 -> {
                    int[] v = new int[n];
                    for (int i = 0; i < n; i++) v[i] = in.getShort();
                    yield Nd4j.createFromArray(v);
                }
                case I1, U1, B1 -> {
                    int[] v = new int[n];
                    for (int i = 0; i < n; i++) v[i] = this == I1 ? in.get() : Byte.toUnsignedInt(in.get());
                    yield Nd4j.createFromArray(v);
                }
            };
        }
    }

    public static INDArray read(Path file) throws IOException {
        return decode(Files.readAllBytes(file), file.toString());
    }

    /**
     * The arrays of an {@code .npz} archive by name (the entry name without {@code .npy}), in archive order. A damaged
     * archive or entry is a {@link FormatException} naming it.
     */
    public static Map<String, INDArray> readNpz(Path file) throws IOException {
        Map<String, INDArray> out = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                if (e.isDirectory()) continue;
                String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4) : e.getName();
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                } catch (ZipException bad) {
                    throw new FormatException(file + ": entry " + e.getName() + " is damaged (" + bad.getMessage() + ")");
                }
                out.put(name, decode(bytes, file + ": entry " + e.getName()));
            }
        } catch (ZipException e) {
            throw new FormatException(file + " is not a readable .npz archive (" + e.getMessage() + ")");
        }
        return out;
    }

    /** Writes {@code arrays} as an {@code .npz} archive (uncompressed, as {@code np.savez} does) to {@code out}. */
    public static void writeNpz(Map<String, INDArray> arrays, OutputStream out) throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(encode(e.getValue()));
                zip.closeEntry();
            }
        }
    }

    /** The shape as NumPy prints it, e.g. {@code (64, 10)}. */
    public static String describe(long[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        return "(" + String.join(", ", Arrays.stream(shape).mapToObj(Long::toString).toList()) + ")";
    }
}
