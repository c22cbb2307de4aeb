package dev.eff.interpreter.cli;

import static dev.eff.interpreter.cli.EffCliTest.eff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eff.interpreter.bench.BenchReport;
import dev.eff.interpreter.bench.Sweep;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eff bench}: sweeps, the table, CSV, JSON and plots, and its refusals. */
class BenchCommandTest {
    @TempDir Path dir;

    private Path script() throws Exception {
        Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(20));
        Path s = dir.resolve("lm.eff");
        Files.writeString(s, EffCliTest.script("adam(lr = 1e-2)", "text.txt").replace("checkpoint = \"runs/lm.sd\"", ""));
        return s;
    }

    @Test
    void sweepsParseAndCombineLastFastest() {
        Sweep a = Sweep.parse("kind=softmax,performer"), b = Sweep.parse("T=256, 1024");
        assertEquals(List.of("softmax", "performer"), a.values());
        assertTrue(b.numeric() && !a.numeric());
        assertEquals(List.of("\"a,b\"", "c"), Sweep.parse("path=\"a,b\",c").values(), "commas inside quotes belong to the value");
        assertEquals(List.of(Map.of("kind", "softmax", "T", "256"), Map.of("kind", "softmax", "T", "1024"),
                Map.of("kind", "performer", "T", "256"), Map.of("kind", "performer", "T", "1024")), Sweep.combinations(List.of(a, b)));
        assertEquals(List.of(Map.of()), Sweep.combinations(List.of()));
        assertNull(Sweep.parse("d="));
        assertNull(Sweep.parse("d=1,,2"));
    }

    @Test
    void benchMeasuresEveryCombinationAndWritesItsFiles() throws Exception {
        Path s = script();
        Path csv = dir.resolve("b.csv"), json = dir.resolve("b.json"), png = dir.resolve("b.png");
        var o = eff("bench", s.toString(), "--sweep", "d=8,16", "--steps", "2", "--warmup", "1", "--reps", "2",
                "--csv", csv.toString(), "--json", json.toString(), "--plot", png.toString());
        assertEquals(0, o.code(), o.err() + o.out());
        assertTrue(o.out().contains("d=8") && o.out().contains("d=16") && o.out().contains("MFU"), o.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals(BenchReport.CSV_HEADER, lines.get(0));
        assertEquals(3, lines.size());
        JsonNode results = new ObjectMapper().readTree(json.toFile()).get("results");
        assertEquals(2, results.size());
        assertTrue(results.get(1).get("params").asLong() > results.get(0).get("params").asLong(), "d=16 has more parameters");
        for (JsonNode r : results) {
            assertTrue(r.get("trainMinMs").asDouble() <= r.get("trainMs").asDouble() && r.get("trainMs").asDouble() <= r.get("trainMaxMs").asDouble());
            assertTrue(r.get("inferMs").asDouble() > 0 && r.get("mfu").asDouble() > 0);
        }
        assertTrue(Files.size(png) > 0 && Files.size(dir.resolve("b_memory.png")) > 0);
        var again = eff("bench", s.toString(), "--sweep", "d=8", "--steps", "1", "--warmup", "0", "--reps", "1",
                "--csv", csv.toString(), "--json", json.toString(), "--plot", png.toString());
        assertEquals(0, again.code(), "its own earlier outputs may be replaced: " + again.err());
    }

    @Test
    void aCombinationThatDoesNotCheckIsReportedWithItsValues() throws Exception {
        var o = eff("bench", script().toString(), "--sweep", "d=8,0", "--steps", "1");
        assertEquals(EffCli.SCRIPT_ERROR, o.code(), o.out());
        assertTrue(o.err().contains("with d=0:"), o.err());
        assertFalse(o.err().contains("Exception"), o.err());
    }

    @Test
    void benchNeverReplacesAFileItDidNotWrite() throws Exception {
        Path s = script();
        var o = eff("bench", s.toString(), "--csv", s.toString());
        assertEquals(EffCli.FAILED, o.code());
        assertTrue(o.err().contains("refusing to overwrite") && o.err().contains("--csv"), o.err());
        assertTrue(Files.readString(s).startsWith("let d = 8"));
        assertEquals(EffCli.USAGE, eff("bench", s.toString(), "--sweep", "d").code());
        assertEquals(EffCli.USAGE, eff("bench", s.toString(), "--plot", dir.resolve("p.png").toString()).code());
        assertEquals(EffCli.USAGE, eff("bench", s.toString(), "--job", "0").code());
        var job = eff("bench", s.toString(), "--job", "2");
        assertEquals(EffCli.SCRIPT_ERROR, job.code());
        assertTrue(job.err().contains("--job 2 names none"), job.err());
    }
}
