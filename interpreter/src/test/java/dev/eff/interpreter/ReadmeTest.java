package dev.eff.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.interpreter.run.ComponentReference;
import dev.eff.stdlib.Registry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** README.md tells the truth: its component reference is what `eff doc` generates today. */
class ReadmeTest {
    @Test
    void theComponentReferenceInTheReadmeIsCurrent() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int begin = readme.indexOf(ComponentReference.BEGIN), end = readme.indexOf(ComponentReference.END);
        assertTrue(begin >= 0 && end > begin, "README.md lacks the component reference markers");
        String shown = readme.substring(begin + ComponentReference.BEGIN.length(), end).strip();
        assertEquals(ComponentReference.markdown(Registry.standard().all()).strip(), shown,
                "README.md's component reference is stale: run ./eff doc --update README.md");
    }
}
