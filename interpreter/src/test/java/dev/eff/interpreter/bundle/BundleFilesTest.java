package dev.eff.interpreter.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.interpreter.cli.EffCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One trained bundle, then: predictions in a fresh JVM through {@code eff predict BUNDLE --input} equal those of the
 * bundle loaded here; damaged, truncated, foreign and future-format bundles are refused with a message naming the
 * problem; {@code eff weights} export and import round-trip through NumPy's own reader and writer, and a wrong shape
 * names the parameter and both shapes.
 */
class BundleFilesTest {
    @TempDir static Path dir;
    static Path bundle;

    @BeforeAll
    static void train() throws Exception {
        TestData.pets(dir);
        BundleTest.run(dir, BundleTest.PETS);
        bundle = dir.resolve("out/m.effb");
    }

    record Result(int code, String out, String err) {}

    static Result eff(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = EffCli.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static BundleException refused(Path file) {
        return assertThrows(BundleException.class, () -> Bundle.read(file));
    }

    static boolean numpy() {
        try {
            return new ProcessBuilder("python3", "-c", "import numpy").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static void python(String code) throws Exception {
        Process p = new ProcessBuilder("python3", "-c", code).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void aFreshJvmPredictsFromTheBundleAloneWhatTheBundlePredictsHere() throws Exception {
        INDArray x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 2).subi(0.5).muli(4);
        Files.write(dir.resolve("x.npy"), Npy.encode(x));
        Path fresh = dir.resolve("fresh");
        Files.createDirectories(fresh);
        Files.copy(bundle, fresh.resolve("m.effb"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), EffCli.class.getName(),
                "predict", "m.effb", "--input", dir.resolve("x.npy").toString(), "--to", "p.csv")
                .directory(fresh.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("predictions for 5 examples written to p.csv", out.strip(), "nothing else is printed");
        List<String> lines = Files.readAllLines(fresh.resolve("p.csv"));
        assertEquals("example,predicted,p_cat,p_dog", lines.get(0));
        INDArray here = Nd4j.nn().softmax(Bundle.read(bundle).predict(x), 1);
        for (int i = 0; i < 5; i++) {
            String[] f = lines.get(i + 1).split(",");
            assertEquals(here.getDouble(i, 0), Double.parseDouble(f[2]), 1e-5);
            assertEquals(here.getDouble(i, 1), Double.parseDouble(f[3]), 1e-5);
            assertEquals(here.getDouble(i, 1) > here.getDouble(i, 0) ? "dog" : "cat", f[1]);
        }
    }

    @Test
    void truncatedDamagedForeignAndFutureBundlesAreRefusedByName() throws Exception {
        byte[] good = Files.readAllBytes(bundle);
        Path truncated = dir.resolve("truncated.effb");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        assertTrue(refused(truncated).getMessage().contains("truncated.effb is truncated or not a bundle"), refused(truncated).getMessage());

        Path damaged = dir.resolve("damaged.effb");
        long graphAt;
        try (ZipFile z = new ZipFile(bundle.toFile())) {
            graphAt = offsetOf(good, z.getEntry(Bundle.GRAPH));
        }
        byte[] bad = good.clone();
        for (int i = 0; i < 16; i++) bad[(int) graphAt + 200 + i] ^= 0x5a;
        Files.write(damaged, bad);
        String m = refused(damaged).getMessage();
        assertTrue(m.contains("damaged.effb") && m.contains("graph.fb"), m);

        Path future = dir.resolve("future.effb");
        rewrite(bundle, future, Bundle.MANIFEST, json -> json.replaceFirst("\"version\" : 1", "\"version\" : 2"));
        BundleException f = refused(future);
        assertTrue(f.getMessage().contains("in bundle format 2; this Eff (") && f.getMessage().contains("reads bundle format 1"), f.getMessage());
        assertTrue(f.hint().contains("newer Eff"));

        Path foreign = dir.resolve("foreign.effb");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(foreign))) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(refused(foreign).getMessage().contains("is not a complete Eff bundle: it has no bundle.json"));
        Path text = dir.resolve("s.eff");
        assertTrue(refused(text).getMessage().contains("cannot be read as a zip"));

        Result cli = eff("predict", damaged.toString(), "--input", "x.npy", "--to", dir.resolve("never.csv").toString());
        assertEquals(EffCli.FAILED, cli.code());
        assertTrue(cli.err().startsWith("eff: ") && !cli.err().contains("\tat "), cli.err());
        assertFalse(Files.exists(dir.resolve("never.csv")));
    }

    /** Where the data of {@code entry} starts in the zip: after its local header (30 bytes, name, extra field). */
    private static long offsetOf(byte[] zip, ZipEntry entry) {
        byte[] name = entry.getName().getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i + 30 + name.length < zip.length; i++) {
            if (zip[i] == 0x50 && zip[i + 1] == 0x4b && zip[i + 2] == 3 && zip[i + 3] == 4
                    && Arrays.equals(Arrays.copyOfRange(zip, i + 30, i + 30 + name.length), name)) {
                int extra = (zip[i + 28] & 0xff) | (zip[i + 29] & 0xff) << 8;
                return i + 30L + name.length + extra;
            }
        }
        throw new AssertionError("no entry " + entry.getName());
    }

    private static void rewrite(Path from, Path to, String entry, java.util.function.UnaryOperator<String> edit) throws IOException {
        try (ZipFile in = new ZipFile(from.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(to))) {
            for (ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] b = in.getInputStream(e).readAllBytes();
                if (e.getName().equals(entry)) b = edit.apply(new String(b, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(b);
                out.closeEntry();
            }
        }
    }

    @Test
    void weightsRoundTripThroughNumpyAndAWrongShapeNamesTheParameter() throws Exception {
        assertEquals(EffCli.OK, eff("weights", "export", bundle.toString(), "--to", dir.resolve("w.npz").toString()).code());
        Map<String, INDArray> exported = Npy.readNpz(dir.resolve("w.npz"));
        assertEquals(List.of("dense/W", "dense/b", "logits/W", "logits/b"), new ArrayList<>(exported.keySet()));
        assertEquals(Bundle.read(bundle).weights(), exported);
        org.junit.jupiter.api.Assumptions.assumeTrue(numpy(), "python3 with numpy");
        // NumPy reads what Eff wrote and writes back what Eff reads: doubled weights, Fortran order, compressed.
        python("""
                import numpy as np
                w = np.load('w.npz')
                assert w['dense/W'].shape == (2, 16) and w['dense/W'].dtype == np.float32, w['dense/W'].shape
                out = {k: np.asfortranarray(w[k] * 2) for k in w.files}
                np.savez_compressed('w2.npz', **out)
                np.savez('wrong.npz', **{'dense/W': np.zeros((16, 2), np.float32)})
                np.savez('typo.npz', **{'dense/w': np.zeros((2, 16), np.float32)})
                """);
        Path doubled = dir.resolve("doubled.effb");
        Result imported = eff("weights", "import", bundle.toString(), "--from", dir.resolve("w2.npz").toString(), "--to", doubled.toString());
        assertEquals(EffCli.OK, imported.code(), imported.err());
        Map<String, INDArray> before = Bundle.read(bundle).weights(), after = Bundle.read(doubled).weights();
        before.forEach((name, w) -> assertArrayEquals(w.mul(2).reshape(-1).toFloatVector(), after.get(name).reshape(-1).toFloatVector(), 1e-6f, name));

        Result wrong = eff("weights", "import", bundle.toString(), "--from", dir.resolve("wrong.npz").toString(), "--to", dir.resolve("x.effb").toString());
        assertEquals(EffCli.FAILED, wrong.code());
        assertEquals("eff: parameter dense/W has shape (2, 16) in model m, but (16, 2) in wrong.npz\n"
                + "  hint: it looks transposed: PyTorch's Linear stores (out, in), Eff's weights are (in, out); transpose it before saving\n",
                wrong.err());
        assertFalse(Files.exists(dir.resolve("x.effb")));
        Result typo = eff("weights", "import", bundle.toString(), "--from", dir.resolve("typo.npz").toString(), "--to", dir.resolve("x.effb").toString());
        assertTrue(typo.err().contains("'dense/w', which is not a parameter of model m (did you mean 'dense/W'?)"), typo.err());
    }

    @Test
    void summaryListsTheParameterNamesWeightsUse() {
        Result r = eff("summary", "--parameters", dir.resolve("s.eff").toString());
        assertEquals(EffCli.OK, r.code(), r.err());
        assertTrue(r.out().contains("parameters of m (names as in bundles and eff weights)"), r.out());
        assertTrue(r.out().matches("(?s).*dense/W\\s+\\(2, 16\\)\\s+trainable.*logits/b\\s+\\(2,\\)\\s+trainable.*"), r.out());
    }
}
