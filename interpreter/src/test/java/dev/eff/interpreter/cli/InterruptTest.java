package dev.eff.interpreter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.interpreter.train.CheckpointFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C as a user sends it: SIGINT to a real `eff run` process. */
class InterruptTest {

    @Test
    void ctrlCStopsTheRunWritesAFinalCheckpointSaysWhereAndExitsWith130(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(20));
        Path script = Files.writeString(dir.resolve("long.eff"),
                EffCliTest.script("adam(lr = 1e-3)", "text.txt").replace("steps = 20", "steps = 1000000"));
        Path ckpt = dir.resolve("runs/lm.sd");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), EffCli.class.getName(), "run", script.toString(),
                "--checkpoint-every", "1").redirectError(dir.resolve("err.txt").toFile()).start();
        try {
            var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder seen = new StringBuilder();
            for (String line; (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                if (line.startsWith("train lm  checkpoint at step 1:")) break; // trained weights exist
            }
            assertTrue(seen.toString().contains("train lm  checkpoint at step 1:"), seen.toString());
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start();
            assertEquals(0, kill.waitFor());
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run stopped after SIGINT");
            out.transferTo(java.io.Writer.nullWriter());
            String err = Files.readString(dir.resolve("err.txt"));
            assertEquals(130, p.exitValue(), err);
            assertTrue(err.contains("eff: stopping after the current step"), err);
            assertTrue(err.matches("(?s).*eff: interrupted after step \\d+ of 1000000 \\(.*long\\.eff:10:1\\).*"), err);
            assertTrue(err.contains("eff: checkpoint written to " + ckpt), err);
            assertTrue(CheckpointFiles.isCheckpoint(ckpt), "a complete checkpoint at " + ckpt);
            try (var files = Files.list(ckpt.getParent())) {
                assertEquals(java.util.Set.of("lm.sd", "lm.sd.resume"),
                        files.map(f -> f.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                        "the checkpoint and its resume file, no temporary file left behind");
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
