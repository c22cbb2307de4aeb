package dev.eff.stdlib.data;

import static dev.eff.stdlib.data.DataTesting.args;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.check.ShapeException;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.Dataset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharTextTest {

    private final CharText source = new CharText();
    @TempDir Path dir;

    @Test
    void schemaIsTokensAndNextTokens() throws Exception {
        var s = source.schema(args(source, "path", "x.txt", "seqLen", 32));
        assertEquals("int[B, 32]", s.inputs().get(0).shape().describe());
        assertEquals("int[B, 32]", s.label().shape().describe());
        assertEquals(256, s.classes());
        assertThrows(ShapeException.class, () -> source.schema(args(source, "path", "x.txt", "testFraction", 1.0)));
    }

    @Test
    void windowsAreNonOverlappingAndLabelsAreTheNextByte() throws Exception {
        byte[] text = "héllo wörld, the quick brown fox jumps over the lazy dog; 0123456789!".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("t.txt"), text);
        int len = 5, cut = (int) Math.floor(text.length * 0.8);
        var a = args(source, "path", "t.txt", "seqLen", len, "testFraction", 0.2);

        Dataset train = source.load(a, "train", dir);
        assertEquals((cut - 1) / len, train.size());
        check(train, text, 0, len);

        Dataset test = source.load(a, "test", dir);
        assertEquals((text.length - cut - 1) / len, test.size());
        check(test, text, cut, len);
    }

    private static void check(Dataset d, byte[] text, int from, int len) {
        var x = (Dataset.Ints) d.columns().get(0);
        var y = (Dataset.Ints) d.labelColumn();
        for (int w = 0; w < d.size(); w++) {
            for (int t = 0; t < len; t++) {
                assertEquals(text[from + w * len + t] & 0xff, x.at(w, t));
                assertEquals(text[from + w * len + t + 1] & 0xff, y.at(w, t));
            }
        }
    }

    @Test
    void missingOrTinyFilesAreDataErrorsNamingTheAbsolutePath() throws Exception {
        var e = assertThrows(DataException.class, () -> source.load(args(source, "path", "absent.txt"), "train", dir));
        assertTrue(e.getMessage().contains(dir.toAbsolutePath().resolve("absent.txt").toString()), e.getMessage());
        assertTrue(e.hint().contains("script's folder"), e.hint());

        Files.writeString(dir.resolve("small.txt"), "abcdefghij");
        e = assertThrows(DataException.class, () -> source.load(args(source, "path", "small.txt", "seqLen", 4), "test", dir));
        assertTrue(e.getMessage().contains("test split has 1 bytes"), e.getMessage());
    }

    @Test
    void seqLenBeyondAJavaArrayIsASchemaErrorNotAnOverflow() throws Exception {
        for (long len : new long[] {1_000_000_000_000L, Integer.MAX_VALUE}) {
            var e = assertThrows(ShapeException.class, () -> source.schema(args(source, "path", "t.txt", "seqLen", len)));
            assertTrue(e.getMessage().startsWith("seqLen = ") && e.getMessage().contains("is too large"), e.getMessage());
        }
        var s = source.schema(args(source, "path", "t.txt"));
        assertEquals(256, s.inputs().get(0).vocab(), "byte ids 0 … 255");
    }
}
