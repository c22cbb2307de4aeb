package dev.eff.interpreter.cli;

import static dev.eff.interpreter.cli.EffCliTest.eff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eff.interpreter.bundle.Bundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * calibrate's threshold travels with the model: beside its checkpoint (tied to the checkpoint's content) and in its
 * bundle, and {@code eff generate} from either uses it, saying where it came from; a calibration made for another
 * exit or for weights trained again since is not used, and generate says so.
 */
class CalibrationStorageTest {
    static final String SCRIPT = """
            data corpus = charText(path = "text.txt", seqLen = 12)
            model lm {
                embed(vocab = 256, dim = 16, position = learned)
                repeat(2) {
                    residual { layerNorm(); attention(softmax, heads = 2, causal = true) }
                    residual { layerNorm(); mlp(hidden = 32, activation = gelu) }
                }
                layerNorm()
                exit(calm, delta = 0.5, measure = MEASURE)
                logits(256)
            }
            train lm on corpus { optimizer = adam(lr = 1e-2); batch = 4; steps = STEPS; seed = 3; checkpoint = "runs/lm.sd" }
            """;
    static final String CALIBRATE_AND_SAVE = """
            calibrate lm on corpus.test { prompts = 6, promptLength = 4, tokens = 4, grid = 4 }
            save lm { to = "runs/lm.effb" }
            """;

    static Path script(Path dir, String measure, int steps, String more) throws Exception {
        Path s = dir.resolve("lm.eff");
        Files.writeString(s, SCRIPT.replace("MEASURE", measure).replace("STEPS", Integer.toString(steps)) + more);
        return s;
    }

    /** What generate wrote after saying which threshold it uses: the generated text. */
    static String text(String out) {
        int note = out.indexOf("early exit: ");
        return note < 0 ? "" : out.substring(out.indexOf('\n', note) + 1);
    }

    @Test
    void generateUsesTheCalibrationStoredWithTheCheckpointAndTheBundle(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(30));
        Path s = script(dir, "softmax", 20, CALIBRATE_AND_SAVE);
        EffCliTest.Outcome run = eff("run", s.toString());
        assertEquals(0, run.code(), run.err());
        Path stored = dir.resolve("runs/lm.sd.calibration.json");
        assertTrue(run.out().contains("calibration stored in " + stored), run.out());

        JsonNode file = new ObjectMapper().readTree(stored.toFile());
        assertEquals("eff calibration", file.get("format").asText());
        JsonNode c = file.get("calibration");
        assertEquals(0.5, c.get("delta").asDouble());
        assertEquals(0.05, c.get("epsilon").asDouble());
        assertEquals("softmax", c.get("measure").asText());
        assertEquals(6, c.get("prompts").asInt());
        // at least threshold 1 certifies: it never exits early, so it reproduces the full model (risk 0, p = 0.5^6)
        double threshold = c.get("threshold").asDouble();
        assertTrue(threshold > 0 && threshold <= 1, "threshold " + threshold);
        String certified = String.format(Locale.ROOT, "early exit: threshold %.4g certified at delta 0.5, epsilon 0.05, measure softmax, 6 prompts", threshold);

        EffCliTest.Outcome fromCheckpoint = eff("generate", s.toString(), "--prompt", "the ", "--tokens", "6", "--temperature", "0");
        assertEquals(0, fromCheckpoint.code(), fromCheckpoint.err());
        assertTrue(fromCheckpoint.out().contains(certified + ", from " + stored), fromCheckpoint.out());

        Path bundle = dir.resolve("runs/lm.effb");
        assertEquals(threshold, Bundle.read(bundle).manifest().calibration().threshold());
        EffCliTest.Outcome fromBundle = eff("generate", bundle.toString(), "--prompt", "the ", "--tokens", "6", "--temperature", "0");
        assertEquals(0, fromBundle.code(), fromBundle.err());
        assertTrue(fromBundle.out().contains(certified + ", from bundle " + bundle), fromBundle.out());
        assertEquals(text(fromCheckpoint.out()), text(fromBundle.out()), "the same weights and threshold give the same text");
        assertTrue(text(fromBundle.out()).length() >= 6, fromBundle.out());

        // The script now declares another measure: the threshold certified for softmax guarantees nothing for it.
        Path state = script(dir, "state", 20, "");
        EffCliTest.Outcome other = eff("generate", state.toString(), "--prompt", "the ", "--tokens", "3", "--temperature", "0");
        assertEquals(0, other.code(), other.err());
        assertTrue(other.out().contains("early exit: threshold 0.9000, the exit's threshold argument: the calibration from "
                + stored + " was made for another exit (measure softmax there, state now); run calibrate again"), other.out());

        // Trained again (another checkpoint), without calibrating: the stored calibration belongs to the old weights.
        Path retrained = script(dir, "softmax", 3, "");
        assertEquals(0, eff("run", retrained.toString()).code());
        EffCliTest.Outcome stale = eff("generate", retrained.toString(), "--prompt", "the ", "--tokens", "3", "--temperature", "0");
        assertEquals(0, stale.code(), stale.err());
        assertTrue(stale.out().contains("note: " + stored + " was calibrated on another state of lm.sd (it was trained again since); it is not used"), stale.out());
        assertTrue(stale.out().contains("early exit: threshold 0.9000, the exit's threshold argument (the model has not been calibrated)"), stale.out());
        assertFalse(stale.out().contains("certified at"), stale.out());
    }

    @Test
    void aFileInTheCalibrationsPlaceThatIsNoCalibrationIsLeftAlone(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(30));
        Files.createDirectories(dir.resolve("runs"));
        Files.writeString(dir.resolve("runs/lm.sd.calibration.json"), "my notes");
        Path s = script(dir, "softmax", 2, "calibrate lm on corpus.test { prompts = 6, promptLength = 4, tokens = 2, grid = 2 }\n");
        EffCliTest.Outcome run = eff("run", s.toString());
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().contains("cannot store the calibration beside the model's checkpoint"), run.err());
        assertEquals("my notes", Files.readString(dir.resolve("runs/lm.sd.calibration.json")));
    }
}
