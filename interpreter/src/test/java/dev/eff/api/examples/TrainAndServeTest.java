package dev.eff.api.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.api.Eff;
import dev.eff.api.EffException;
import dev.eff.api.Model;
import dev.eff.api.Results;
import dev.eff.api.SavedModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example application runs, and a saved model predicts the same in a fresh class loader as where it was trained. */
class TrainAndServeTest {

    @Test
    void theExampleTrainsSavesAndServes(@TempDir Path dir) throws Exception {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            TrainAndServe.main(new String[] {dir.toString()});
        } finally {
            System.setOut(out);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertTrue(Files.isRegularFile(dir.resolve("classifier.effb")), text);
        assertTrue(text.endsWith("served:\n0\n1\n"), text);
        double accuracy = Double.parseDouble(text.substring("accuracy ".length(), text.indexOf(',')));
        assertTrue(accuracy > 0.9, text);
    }

    @Test
    void aSavedModelPredictsExactlyAsTrainedInAFreshClassLoader(@TempDir Path dir) throws Exception {
        float[][] x = new float[60][4];
        int[] y = new int[60];
        for (int i = 0; i < 60; i++) {
            y[i] = i % 3;
            for (int j = 0; j < 4; j++) x[i][j] = (float) Math.sin(i * 7 + j) + (j == y[i] ? 2 : 0);
        }
        Results r = Eff.with().array("x", x).array("species", y).compile("flowers.eff", TrainAndServe.SCRIPT).run();
        Model trained = r.model("classifier");
        Path bundle = dir.resolve("m.effb");
        trained.save(bundle);
        float[][] expected = trained.predict(x);

        SavedModel loaded = Eff.load(bundle);
        assertArrayEquals(expected, loaded.predict(x), "the same loader");
        assertEquals(List.of("0", "1", "2"), loaded.classNames());
        assertTrue(loaded.metrics().containsKey("flowers.test/accuracy"), loaded.metrics().toString());

        try (var fresh = TrainAndServe.freshLoader()) {
            Class<?> eff = fresh.loadClass(Eff.class.getName());
            assertNotSame(Eff.class, eff);
            Object model = eff.getMethod("load", Path.class).invoke(null, bundle);
            float[][] there = (float[][]) model.getClass().getMethod("predict", Object.class).invoke(model, (Object) x);
            for (int i = 0; i < x.length; i++) assertArrayEquals(expected[i], there[i], "example " + i);
        }
    }

    @Test
    void aDamagedBundleOrAFileThatIsNoBundleIsAClearError(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.effb");
        Files.write(bad, new byte[] {'P', 'K', 3, 4, 1, 2});
        EffException e = assertThrows(EffException.class, () -> Eff.load(bad));
        assertTrue(e.getMessage().contains("bad.effb"), e.getMessage());

        Results r = Eff.with().array("x", new float[][] {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {1, 1, 0, 0}, {0, 1, 1, 0}})
                .array("species", new int[] {0, 1, 2, 0, 1}).compile("f.eff", TrainAndServe.SCRIPT.replace("steps = 80", "steps = 1")).run();
        Path notes = dir.resolve("notes.effb");
        Files.writeString(notes, "my notes");
        EffException refused = assertThrows(EffException.class, () -> r.model("classifier").save(notes));
        assertTrue(refused.getMessage().contains("not an Eff bundle"), refused.getMessage());
        assertEquals("my notes", Files.readString(notes), "the user's file is kept");
        assertThrows(IllegalArgumentException.class, () -> r.model("classifier").save(dir.resolve("m.zip")));
    }
}
