package dev.eff.interpreter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.interpreter.programs.TokenSink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Generated tokens shaded by their exit block on a terminal; plain text elsewhere. */
class ExitShadingTest {
    static final String ESC = "\u001b[";

    static String shade(int blocks, String text, int[] exits) {
        var bytes = new ByteArrayOutputStream();
        TokenSink sink = new ExitShading(bytes, blocks);
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) sink.token(b[i] & 0xFF, exits[i]);
        sink.end();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theRampRunsFromBlueAtTheFirstExitToRedAtTheLast() {
        assertEquals(16 + 6 + 5, ExitShading.colour(1, 4), "r 0, g 1, b 5");
        assertEquals(16 + 36 * 5 + 6, ExitShading.colour(4, 4), "r 5, g 1, b 0");
        assertEquals(16 + 36 * 2 + 6 + 3, ExitShading.colour(2, 4), "a third of the way: r 2 (1.67), b 3 (3.33)");
    }

    @Test
    void aColourIsWrittenWhenTheExitChangesAndResetAtTheEnd() {
        String s = shade(4, "abc", new int[] {1, 1, 4});
        assertEquals(ExitShading.style(1, 4) + "ab" + ExitShading.style(4, 4) + "c" + ExitShading.RESET + "\n", s);
        assertEquals(ESC + "48;5;27;38;5;15m", ExitShading.style(1, 4));
    }

    @Test
    void aCharacterOfSeveralBytesIsNeverSplitByAColourChange() {
        // é is C3 A9 in UTF-8: its second byte came from another exit, but the colour stays until the next character
        String s = shade(2, "é!", new int[] {1, 2, 2});
        assertEquals(ExitShading.style(1, 2) + "é" + ExitShading.style(2, 2) + "!" + ExitShading.RESET + "\n", s);
    }

    @Test
    void theColourIsResetBeforeANewlineAndTakenUpAfterIt() {
        String s = shade(3, "a\nb", new int[] {2, 2, 2});
        assertEquals(ExitShading.style(2, 3) + "a" + ExitShading.RESET + "\n" + ExitShading.style(2, 3) + "b" + ExitShading.RESET + "\n", s);
    }

    @Test
    void theLegendShowsEveryBlockOnItsShade() {
        String legend = ExitShading.legend(3);
        assertTrue(legend.startsWith("exit block:"), legend);
        for (int k = 1; k <= 3; k++) assertTrue(legend.contains(ExitShading.style(k, 3) + " " + k + " " + ExitShading.RESET), legend);
        assertTrue(legend.endsWith("\n"));
    }

    @Test
    void onlyATerminalWithoutNoColorGetsColour() {
        assertTrue(Terminals.colour(true, null));
        assertTrue(Terminals.colour(true, ""), "an empty NO_COLOR does not count (no-color.org)");
        assertFalse(Terminals.colour(true, "1"));
        assertFalse(Terminals.colour(false, null));
    }

    @Test
    void progressShadesTokensOnlyWhenColouringAndOnlyForAnEarlyExitModel() {
        for (boolean colour : new boolean[] {true, false}) {
            for (int blocks : new int[] {0, 4}) {
                var bytes = new ByteArrayOutputStream();
                TokenSink sink = new Progress(new PrintStream(bytes, true, StandardCharsets.UTF_8), 0, colour).tokens(null, blocks);
                sink.token('x', blocks == 0 ? 0 : 2);
                sink.end();
                String out = bytes.toString(StandardCharsets.UTF_8);
                assertEquals(colour && blocks > 0, out.contains(ESC), colour + " " + blocks + ": " + out);
                assertTrue(out.endsWith("x" + (colour && blocks > 0 ? ExitShading.RESET : "") + "\n"), out);
            }
        }
    }
}
