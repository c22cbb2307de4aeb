package dev.eff.interpreter.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The .npy reader against files built byte by byte from NumPy's format description, and the writer against the reader. */
class NpyTest {

    /** A version 1.0 file: magic, version, header length, the header padded with spaces to a multiple of 64, the data. */
    static byte[] npy(String header, byte[] data) {
        StringBuilder h = new StringBuilder(header);
        while ((10 + h.length() + 1) % 64 != 0) h.append(' ');
        h.append('\n');
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length());
        b.put(h.toString().getBytes(StandardCharsets.ISO_8859_1)).put(data);
        return b.array();
    }

    static byte[] floats(ByteOrder order, float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(order);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    @Test
    void readsCOrderFortranOrderBigEndianAndIntegers() throws Exception {
        byte[] data = floats(ByteOrder.LITTLE_ENDIAN, 0, 1, 2, 3, 4, 5);
        INDArray c = Npy.decode(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", data), "c");
        assertArrayEquals(new float[][] {{0, 1, 2}, {3, 4, 5}}, c.toFloatMatrix());
        // In Fortran order the first index varies fastest: element (i, j) is at i + 2j.
        INDArray f = Npy.decode(npy("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", data), "f");
        assertArrayEquals(new float[][] {{0, 2, 4}, {1, 3, 5}}, f.toFloatMatrix());
        INDArray big = Npy.decode(npy("{'descr': '>f4', 'fortran_order': False, 'shape': (3,), }",
                floats(ByteOrder.BIG_ENDIAN, 1.5f, -2, 7)), "big");
        assertArrayEquals(new float[] {1.5f, -2, 7}, big.toFloatVector());
        ByteBuffer longs = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(3).putLong(-9);
        INDArray ids = Npy.decode(npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1, 2), }", longs.array()), "ids");
        assertEquals(DataType.LONG, ids.dataType());
        assertArrayEquals(new long[] {3, -9}, ids.reshape(-1).toLongVector());
    }

    @Test
    void malformedFilesAreRefusedWithWhatIsWrong() {
        byte[] data = floats(ByteOrder.LITTLE_ENDIAN, 0, 1, 2);
        assertEquals("t.npy is truncated: shape [2, 3] needs 24 bytes of data, the file holds 12", assertThrows(Npy.FormatException.class,
                () -> Npy.decode(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", data), "t.npy")).getMessage());
        assertTrue(assertThrows(Npy.FormatException.class, () -> Npy.decode(npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }",
                new byte[8]), "z.npy")).getMessage().startsWith("z.npy holds elements of type '<c8', which Eff cannot read"));
        assertTrue(assertThrows(Npy.FormatException.class, () -> Npy.decode("hello world".getBytes(StandardCharsets.UTF_8), "h.npy"))
                .getMessage().contains("not a NumPy .npy array"));
        assertTrue(assertThrows(Npy.FormatException.class, () -> Npy.decode(npy("{'descr': '<f4', 'shape': (2,), }", data), "m.npy"))
                .getMessage().startsWith("m.npy has a malformed .npy header"));
        byte[] cut = java.util.Arrays.copyOf(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", data), 20);
        assertTrue(assertThrows(Npy.FormatException.class, () -> Npy.decode(cut, "c.npy")).getMessage().contains("truncated inside its header"));
    }

    @Test
    void whatTheWriterWritesTheReaderReadsBackExactly() throws Exception {
        INDArray w = Nd4j.rand(DataType.FLOAT, 3, 4), v = Nd4j.rand(DataType.DOUBLE, 5), s = Nd4j.scalar(2.5f);
        assertEquals(w, Npy.decode(Npy.encode(w), "w"));
        assertEquals(v, Npy.decode(Npy.encode(v), "v"));
        assertEquals(w.transpose(), Npy.decode(Npy.encode(w.transpose()), "a view in another order"));
        assertEquals(0, Npy.decode(Npy.encode(s), "s").rank());
        Map<String, INDArray> arrays = new LinkedHashMap<>(Map.of("block1/mlp/W1", w));
        arrays.put("b", v);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.writeNpz(arrays, out);
        java.nio.file.Path file = java.nio.file.Files.createTempFile("weights", ".npz");
        try {
            java.nio.file.Files.write(file, out.toByteArray());
            assertEquals(arrays, Npy.readNpz(file));
        } finally {
            java.nio.file.Files.delete(file);
        }
    }
}
