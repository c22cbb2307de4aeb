package dev.eff.interpreter.programs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eff.dsl.Frontend;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.run.JobReport;
import dev.eff.interpreter.run.OutputCheck;
import dev.eff.interpreter.run.RunEvents;
import dev.eff.interpreter.run.RunReport;
import dev.eff.interpreter.run.Runner;
import dev.eff.stdlib.Registry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** predict's files against evaluate's metrics on the same split, their formats, and the output checks. */
class PredictTest {

    static final String SCRIPT = """
            data pets = csv(path = "pets.csv", features = ["a", "b"], label = "kind", classes = 2, testFraction = 0.3)
            model m { dense(16, activation = relu); logits(2) }
            train m on pets { steps = 60, batch = 16, seed = 2, optimizer = adam(lr = 0.03) }
            evaluate m on pets.test { accuracy }
            predict m on pets.test { to = "out/preds.csv" }
            predict m on pets.test { to = "out/preds.json", batch = 7 }
            """;

    /** Two overlapping blobs named "cat" and "dog", so that a briefly trained model is right on most rows, not all. */
    static Path write(Path dir, String script) throws IOException {
        StringBuilder csv = new StringBuilder("a,b,kind\n");
        Random r = new Random(4);
        for (int i = 0; i < 200; i++) {
            boolean dog = i % 2 == 0;
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", r.nextGaussian() + (dog ? 1 : -1), r.nextGaussian(), dog ? "dog" : "cat"));
        }
        Files.writeString(dir.resolve("pets.csv"), csv);
        Files.writeString(dir.resolve("s.eff"), script);
        return dir.resolve("s.eff");
    }

    static RunReport run(Path dir) throws Exception {
        Frontend.Result checked = Frontend.check(write(dir, SCRIPT), Registry.standard(), Map.of());
        assertTrue(checked.ok(), checked.diagnostics().render());
        assertTrue(OutputCheck.check(checked.program(), dir, null).ok());
        return new Runner(Registry.standard(), ModelCompiler.standard())
                .run(checked.program(), new Runner.Options(dir.resolve("s.eff"), dir, Map.of(), 0, 0, 0), RunEvents.NONE);
    }

    @Test
    void predictionsWrittenByPredictMatchEvaluatesAccuracyOnTheSameSplit(@TempDir Path dir) throws Exception {
        RunReport report = run(dir);
        double accuracy = report.jobs().get(1).metrics().get("accuracy");
        assertTrue(accuracy > 0.5 && accuracy < 1, "a model right on some rows only: " + accuracy);

        List<String> lines = Files.readAllLines(dir.resolve("out/preds.csv"));
        assertEquals("example,label,predicted,p_cat,p_dog", lines.get(0), "class names as the CSV wrote them");
        int right = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            if (f[1].equals(f[2])) right++;
            double pCat = Double.parseDouble(f[3]), pDog = Double.parseDouble(f[4]);
            assertEquals(1, pCat + pDog, 1e-5);
            assertEquals(pDog > pCat ? "dog" : "cat", f[2]);
        }
        JobReport eval = report.jobs().get(1);
        assertEquals(eval.examples(), lines.size() - 1);
        assertEquals(accuracy, right / (double) (lines.size() - 1), 1e-9);

        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/preds.json").toFile());
        assertEquals("eff predictions", json.get("kind").asText());
        assertEquals(List.of("cat", "dog"), List.of(json.get("classes").get(0).asText(), json.get("classes").get(1).asText()));
        int jsonRight = 0;
        for (JsonNode row : json.get("predictions")) if (row.get("label").asText().equals(row.get("predicted").asText())) jsonRight++;
        assertEquals(right, jsonRight, "batch size does not change the predictions");
    }

    @Test
    void aRegressionModelsPredictionsAreItsValues(@TempDir Path dir) throws Exception {
        Frontend.Result checked = Frontend.check(write(dir, """
                data pets = csv(path = "pets.csv", features = ["a"], label = "b")
                model r { dense(1) }
                train r on pets { steps = 1, loss = mse() }
                predict r on pets.test { to = "r.csv" }
                """), Registry.standard(), Map.of());
        assertTrue(checked.ok(), checked.diagnostics().render());
        new Runner(Registry.standard(), ModelCompiler.standard())
                .run(checked.program(), new Runner.Options(dir.resolve("s.eff"), dir, Map.of(), 0, 0, 0), RunEvents.NONE);
        List<String> lines = Files.readAllLines(dir.resolve("r.csv"));
        assertEquals("example,label,value", lines.get(0));
        assertEquals(41, lines.size(), "the 40 test rows of 200 at testFraction 0.2");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            assertEquals(3, f.length, line);
            Double.parseDouble(f[1]);
            Double.parseDouble(f[2]);
        }
    }

    @Test
    void aSecondRunReplacesItsPredictionsButNeverAnotherFile(@TempDir Path dir) throws Exception {
        run(dir);
        Frontend.Result again = Frontend.check(dir.resolve("s.eff"), Registry.standard(), Map.of());
        assertTrue(OutputCheck.check(again.program(), dir, null).ok(), "earlier predictions may be replaced");
        Files.writeString(dir.resolve("out/preds.csv"), "my,own,data\n");
        OutputCheck.Result r = OutputCheck.check(again.program(), dir, null);
        assertFalse(r.ok());
        assertTrue(r.problems().get(0).message().contains("refusing to overwrite") && r.problems().get(0).message().contains("preds.csv"),
                r.problems().toString());
        assertEquals(5, r.problems().get(0).span().line());
    }

    @Test
    void predictNeedsDataARowPerExampleAndAKnownFormat(@TempDir Path dir) throws IOException {
        String out = Frontend.check(write(dir, """
                data pets = csv(path = "pets.csv", features = ["a", "b"], label = "kind", classes = 2)
                model m { dense(16); logits(2) }
                train m on pets { steps = 1 }
                predict m { to = "p.csv" }
                predict m on pets.test { to = "p.txt" }
                predict m on pets.tset { to = "p.csv" }
                predict m on pets { too = "p.csv" }
                """), Registry.standard(), Map.of()).diagnostics().render();
        assertTrue(out.contains("s.eff:4:1: error: predict needs data: predict MODEL on DATA.split { ... }"), out);
        assertTrue(out.contains("s.eff:5:31: error: predict: cannot tell the format of \"p.txt\""), out);
        assertTrue(out.contains("s.eff:6:19: error: data 'pets' has no split 'tset' (did you mean 'test'?)"), out);
        assertTrue(out.contains("s.eff:7:21: error: unknown parameter 'too' of 'predict' (did you mean 'to'?)"), out);
    }
}
