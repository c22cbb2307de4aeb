package dev.eff.interpreter.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.interpreter.Fixtures;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {

    @Test
    void aSavedCheckpointIsRecognisedAndNothingElseIs(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("m.sd");
        Checkpoints.save(Fixtures.compile(Fixtures.mlp(8), 5).sd(), ckpt);
        assertTrue(CheckpointFiles.isCheckpoint(ckpt));

        Path script = Files.writeString(dir.resolve("s.eff"), "data d = csv(path = \"x.csv\", features = [\"a\"])\n".repeat(50));
        Path csv = Files.writeString(dir.resolve("x.csv"), "a,label\n" + "1.5,0\n".repeat(1000));
        byte[] noise = new byte[100_000];
        new Random(1).nextBytes(noise);
        Path random = Files.write(dir.resolve("noise.bin"), noise);
        Path gz = dir.resolve("images.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("pixels ".repeat(50_000).getBytes(StandardCharsets.UTF_8));
        }
        Path idx = Files.write(dir.resolve("labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 16, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6});
        for (Path p : List.of(script, csv, random, gz, idx, dir.resolve("absent"), dir)) {
            assertFalse(CheckpointFiles.isCheckpoint(p), p + " is not a checkpoint");
        }
    }

    @Test
    void staleTemporariesOfAKilledWriteAreRemovedAndNamed(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("m.sd");
        Path stale = Files.createFile(dir.resolve("m.sd.8123456.ckpt.tmp"));
        Path other = Files.createFile(dir.resolve("other.sd.812.ckpt.tmp"));
        Path notOurs = Files.createFile(dir.resolve("m.sd.notes.ckpt.tmp"));
        assertEquals(List.of(stale), CheckpointFiles.removeStaleTemporaries(target));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(other) && Files.exists(notOurs));
    }
}
