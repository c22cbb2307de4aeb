package dev.eff.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A script's Groovy hooks run from Java only when the host allows them, as on the command line. */
class HooksOptionTest {
    private static final String SCRIPT = """
            data recall = associativeRecall(vocab = 8, pairs = 2, examples = 64, seed = 1)
            model m { embed(vocab = 8, dim = 8, position = learned); pool(mean); logits(8) }
            hook twice = groovy \"""
                { logits, labels -> -(labels * logSoftmax(logits)).sum(-1).mean() * 2 }
            \"""
            train m on recall { optimizer = adam(lr = 1e-2); batch = 16; steps = 2; loss = twice }
            """;

    @Test
    void hooksAreRefusedByDefaultAndRunWhenAllowed() throws Exception {
        Script s = Eff.compile("hooks.eff", SCRIPT);
        assertTrue(s.ok(), s.render());
        EffException e = assertThrows(EffException.class, () -> s.run(RunOptions.DEFAULT, new Listener() {}));
        assertTrue(e.getMessage().contains("hook 'twice'"), e.getMessage());
        Results r = s.run(RunOptions.DEFAULT.withHooksAllowed(), new Listener() {});
        assertEquals(1, r.jobs().size());
    }
}
