package dev.eff.stdlib.data;

import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Dataset;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An IDX file (the MNIST format: two zero bytes, an element type byte, a rank byte, then the big-endian
 * int32 sizes and the row-major data), gzipped or not. Only unsigned bytes (type 0x08) are read, the type
 * of every MNIST-family file.
 */
record IdxFile(Path path, int[] dims, byte[] bytes, int offset) {

    private static final int UNSIGNED_BYTE = 0x08;

    static IdxFile read(Path path) throws DataException {
        byte[] b = DataFiles.readMaybeGzip(path);
        String hint = "IDX files start with 0x00 0x00 0x08 and a rank byte, as the MNIST files do";
        if (b.length < 4 || b[0] != 0 || b[1] != 0) throw new DataException(path + " is not an IDX file (bad magic number)", hint);
        if (b[2] != UNSIGNED_BYTE) {
            throw new DataException(path + ": IDX element type 0x" + Integer.toHexString(b[2] & 0xff) + " is not supported", "Eff reads unsigned-byte (0x08) IDX files");
        }
        int rank = b[3];
        int offset = 4 + 4 * rank;
        if (rank < 1 || b.length < offset) throw new DataException(path + ": truncated IDX header", hint);
        int[] dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            int at = 4 + 4 * i;
            dims[i] = (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
            if (dims[i] < 0) throw new DataException(path + ": negative size in IDX header", hint);
            count *= dims[i];
        }
        if (b.length - offset != count) {
            throw new DataException(path + ": the header promises " + Arrays.toString(dims) + " = " + count + " bytes of data but the file holds "
                    + (b.length - offset), "the file is truncated or corrupt: download it again");
        }
        return new IdxFile(path, dims, b, offset);
    }

    int count() { return dims[0]; }

    /** The images as floats in [0, 1], after checking that each has the {@code shape} the schema promised. */
    Dataset.Floats images(long[] shape) throws DataException {
        if (!sameIgnoringLeadingOnes(Arrays.copyOfRange(dims, 1, dims.length), shape)) {
            throw new DataException(path + " holds examples of shape " + Arrays.toString(Arrays.copyOfRange(dims, 1, dims.length))
                    + " but the data source declares shape = " + Arrays.toString(shape), "set shape to the file's example shape");
        }
        float[] v = new float[bytes.length - offset];
        for (int i = 0; i < v.length; i++) v[i] = (bytes[offset + i] & 0xff) / 255f;
        return new Dataset.Floats(v, shape);
    }

    /** The labels as class ids, each checked to be below {@code classes}. */
    Dataset.Ints labels(long classes) throws DataException {
        if (dims.length != 1) throw new DataException(path + " is not a label file: its rank is " + dims.length + ", not 1", "pass the labels file as labels");
        int[] v = new int[dims[0]];
        for (int i = 0; i < v.length; i++) {
            v[i] = bytes[offset + i] & 0xff;
            if (v[i] >= classes) {
                throw new DataException(path + ": label " + v[i] + " of example " + i + " is not below classes = " + classes, "set classes to the number of classes in the file");
            }
        }
        return new Dataset.Ints(v, new long[0]);
    }

    /** {@code [28, 28]} matches {@code [1, 28, 28]}: a channel dimension of 1 is implicit in the file. */
    private static boolean sameIgnoringLeadingOnes(int[] file, long[] declared) {
        long[] a = Arrays.stream(file).asLongStream().dropWhile(s -> s == 1).toArray();
        long[] b = Arrays.stream(declared).dropWhile(s -> s == 1).toArray();
        return Arrays.equals(a, b);
    }

    /** Images and labels of one split as a dataset, their counts checked to agree. */
    static Dataset imageSplit(Path images, Path labels, long[] shape, long classes) throws DataException {
        IdxFile x = read(images), y = read(labels);
        if (x.count() != y.count()) {
            throw new DataException(images + " holds " + x.count() + " images but " + labels + " holds " + y.count() + " labels",
                    "pair each images file with its own labels file");
        }
        return Dataset.of(java.util.List.of(x.images(shape)), y.labels(classes));
    }
}
