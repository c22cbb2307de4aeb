package dev.eff.interpreter.cli;

import static dev.eff.interpreter.cli.EffCliTest.eff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eff.interpreter.run.Profiles;
import dev.eff.interpreter.train.OpProfiler;
import dev.eff.interpreter.train.TrainListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eff run --profile}: the per-op table and the Chrome trace. */
class ProfileTest {
    @TempDir Path dir;

    @Test
    void profileTimesEveryOpOfTheWindowAndWritesATrace() throws Exception {
        Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(20));
        Path script = dir.resolve("lm.eff");
        Files.writeString(script, EffCliTest.script("adam(lr = 1e-2)", "text.txt").replace("checkpoint = \"runs/lm.sd\"", ""));
        Path trace = dir.resolve("trace.json");
        var o = eff("run", script.toString(), "--steps", "6", "--profile", trace.toString(), "--profile-steps", "3");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("profile of train lm at"), o.out());
        assertTrue(o.out().contains("(3 steps; forward and backward ops)"), o.out());
        assertTrue(o.out().contains("_bp "), "backward ops are timed too:\n" + o.out());
        assertTrue(o.out().contains(OpProfiler.BETWEEN), o.out());
        JsonNode events = new ObjectMapper().readTree(trace.toFile()).get("traceEvents");
        assertTrue(events.size() > 10, "events: " + events.size());
        long ops = 0;
        for (JsonNode e : events) {
            if (!e.get("ph").asText().equals("X")) continue;
            ops++;
            assertTrue(e.get("dur").asDouble() >= 0 && e.get("ts").asDouble() >= 0, e.toString());
        }
        assertTrue(ops > 10);
    }

    @Test
    void aTraceMayNotReplaceAFileThatIsNotJson() throws Exception {
        Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(20));
        Path script = dir.resolve("lm.eff");
        Files.writeString(script, EffCliTest.script("adam(lr = 1e-2)", "text.txt").replace("checkpoint = \"runs/lm.sd\"", ""));
        var o = eff("run", script.toString(), "--steps", "2", "--profile", script.toString());
        assertEquals(EffCli.FAILED, o.code(), o.out());
        assertTrue(o.err().contains("refusing to overwrite") && o.err().contains("--profile"), o.err());
        assertTrue(Files.readString(script).startsWith("let d = 8"), "the script is untouched");
        var same = eff("run", script.toString(), "--steps", "2", "--profile", dir.resolve("x.json").toString(),
                "--report", dir.resolve("x.json").toString());
        assertEquals(EffCli.FAILED, same.code());
        assertTrue(same.err().contains("name the same file"), same.err());
    }

    /** Rows per step and shares: the window's steps only, and the shares (ops plus the time between) add up to 1. */
    @Test
    void rowsArePerProfiledStepAndSharesAddUp() throws Exception {
        List<String> seen = new ArrayList<>();
        OpProfiler p = new OpProfiler(new TrainListener() {
            @Override public void step(long step, long total, double loss, long examples, double seconds) { seen.add("step " + step); }
        }, 1, 2);
        p.started(5, 10);
        for (int s = 1; s <= 5; s++) p.step(s, 5, 1.0, s, s);
        assertEquals(List.of("step 1", "step 2", "step 3", "step 4", "step 5"), seen, "events pass through");
        assertEquals(2, p.profiledSteps(), "steps 2 and 3 after one warm-up step");
        List<OpProfiler.Row> rows = p.rows();
        assertEquals(OpProfiler.BETWEEN, rows.get(rows.size() - 1).type());
        assertEquals(1.0, rows.stream().mapToDouble(OpProfiler.Row::share).sum(), 1e-9);
        assertTrue(Profiles.render("train m", p, 5).contains("2 steps"));
        Path trace = dir.resolve("t.json");
        Profiles.writeTrace(Map.of("train m", p), trace);
        assertEquals(1, new ObjectMapper().readTree(trace.toFile()).get("traceEvents").size(), "the thread name only");
    }
}
