package dev.eff.interpreter.cli;

import static dev.eff.interpreter.cli.EffCliTest.eff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every file a run writes is checked before training; user files are never replaced by a checkpoint. */
class OutputPathsTest {
    @TempDir Path dir;

    @BeforeEach
    void text() throws Exception {
        Files.writeString(dir.resolve("text.txt"), "the quick brown fox jumps over the lazy dog. ".repeat(20));
    }

    Path script(String name, String checkpoint) throws Exception {
        return Files.writeString(dir.resolve(name), EffCliTest.script("adam(lr = 1e-2)", "text.txt")
                .replace("checkpoint = \"runs/lm.sd\"", "checkpoint = \"" + checkpoint + "\""));
    }

    static void assertRefusedBeforeTraining(EffCliTest.Outcome o, String... inErr) {
        assertEquals(1, o.code(), o.err());
        for (String s : inErr) assertTrue(o.err().contains(s), "'" + s + "' in\n" + o.err());
        assertFalse(o.out().contains("train lm"), "nothing was trained: " + o.out());
        BadScriptsTest.assertNoStackTrace(o);
    }

    @Test
    void aCheckpointPointingAtTheScriptItselfIsRefusedAndTheScriptKept() throws Exception {
        Path s = script("self.eff", "self.eff");
        String before = Files.readString(s);
        var o = eff("run", s.toString(), "--steps", "2");
        assertRefusedBeforeTraining(o, "self.eff:10:1: error: refusing to overwrite " + s + ": it is not an Eff checkpoint");
        assertEquals(before, Files.readString(s));
    }

    @Test
    void aCheckpointPointingAtADataFileIsRefusedAndTheDataKept() throws Exception {
        Path s = script("data.eff", "text.txt");
        String before = Files.readString(dir.resolve("text.txt"));
        assertRefusedBeforeTraining(eff("run", s.toString(), "--steps", "2"), "refusing to overwrite " + dir.resolve("text.txt"));
        assertEquals(before, Files.readString(dir.resolve("text.txt")));
    }

    @Test
    void anEarlierCheckpointIsReplaced() throws Exception {
        Path s = script("again.eff", "runs/again.sd");
        assertEquals(0, eff("run", s.toString(), "--steps", "2").code());
        var o = eff("run", s.toString(), "--steps", "2");
        assertEquals(0, o.code(), o.err());
    }

    @Test
    void unwritableCheckpointFoldersAreFoundBeforeTraining() throws Exception {
        assertRefusedBeforeTraining(eff("run", script("proc.eff", "/proc/nope/m.sd").toString(), "--steps", "2"),
                "proc.eff:10:1: error: cannot write in /proc/nope", "hint: check that the folder exists and is writable");
        assertRefusedBeforeTraining(eff("run", script("under.eff", "text.txt/m.sd").toString(), "--steps", "2"),
                "cannot create the folder " + dir.resolve("text.txt") + ": " + dir.resolve("text.txt") + " is a file");
        Files.createDirectories(dir.resolve("taken.sd"));
        assertRefusedBeforeTraining(eff("run", script("folder.eff", "taken.sd").toString(), "--steps", "2"),
                dir.resolve("taken.sd") + " is a folder, not a file");
    }

    @Test
    void anUnwritableReportIsFoundBeforeTraining() throws Exception {
        Path s = script("report.eff", "runs/r.sd");
        assertRefusedBeforeTraining(eff("run", s.toString(), "--steps", "2", "--report", "/proc/nope/r.json"),
                "error: --report: cannot write in /proc/nope");
        assertRefusedBeforeTraining(eff("run", s.toString(), "--steps", "2", "--report", s.toString()),
                "refusing to overwrite " + s + " with the report: it is not a JSON report");
    }

    @Test
    void aCheckpointThatNamesAFolderIsAScriptError() throws Exception {
        for (String path : new String[] {"/", "runs/", "."}) {
            var o = eff("run", script("root.eff", path).toString(), "--steps", "2");
            assertEquals(65, o.code(), o.err());
            assertTrue(o.err().contains("error: checkpoint must name a file, not a folder: '" + path + "'"), o.err());
            BadScriptsTest.assertNoStackTrace(o);
        }
    }

    @Test
    void aTemporaryFileLeftByAKilledCheckpointWriteIsRemovedAndReported() throws Exception {
        Path s = script("stale.eff", "runs/stale.sd");
        Path stale = Files.createFile(Files.createDirectories(dir.resolve("runs")).resolve("stale.sd.4711.ckpt.tmp"));
        var o = eff("run", s.toString(), "--steps", "1");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("note: removed " + stale + ", left by an interrupted checkpoint write"), o.err());
        assertFalse(Files.exists(stale));
    }
}
