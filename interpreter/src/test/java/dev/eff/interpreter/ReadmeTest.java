package dev.eff.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eff.dsl.Frontend;
import dev.eff.interpreter.cli.EffCli;
import dev.eff.interpreter.run.ComponentReference;
import dev.eff.stdlib.Registry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** README.md tells the truth: its component reference is what `eff doc` generates today, and its tour runs. */
class ReadmeTest {
    static String readme() throws Exception { return Files.readString(Path.of("..", "README.md")); }

    /** The first fenced block after the heading, exactly as printed. */
    static String blockAfter(String text, String heading) {
        int at = text.indexOf(heading);
        assertTrue(at >= 0, "README.md lacks the heading " + heading);
        int open = text.indexOf("```\n", at) + 4, close = text.indexOf("\n```", open);
        return text.substring(open, close + 1);
    }

    @Test
    void theComponentReferenceInTheReadmeIsCurrent() throws Exception {
        String readme = readme();
        int begin = readme.indexOf(ComponentReference.BEGIN), end = readme.indexOf(ComponentReference.END);
        assertTrue(begin >= 0 && end > begin, "README.md lacks the component reference markers");
        String shown = readme.substring(begin + ComponentReference.BEGIN.length(), end).strip();
        assertEquals(ComponentReference.markdown(Registry.standard().all()).strip(), shown,
                "README.md's component reference is stale: run ./eff doc --update README.md");
    }

    @Test
    void theTourScriptChecksAndRunsAsPrinted(@TempDir Path dir) throws Exception {
        String tour = blockAfter(readme(), "## A tour of the language");
        assertTrue(tour.contains("train recaller on recall"), tour);
        Path script = dir.resolve("tour.eff");
        Files.writeString(script, tour);
        Frontend.Result checked = Frontend.check(script, Registry.standard(), Map.of());
        assertTrue(checked.ok(), checked.diagnostics().all().toString());

        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        int code = EffCli.execute(new String[] {"run", script.toString(), "--steps", "2", "--eval-limit", "64"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String all = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, all);
        assertTrue(all.contains("accuracy") && all.contains("perplexity"), all);
        assertFalse(all.contains("internal error"), all);
        assertTrue(Files.isRegularFile(dir.resolve("runs/recaller.sd")), "the tour's checkpoint, beside the script");
        assertEquals(65, Files.readAllLines(dir.resolve("runs/predictions.csv")).size(), "a header and the 64 examples evaluated");
        assertEquals(32, dev.eff.interpreter.bundle.Bundle.read(dir.resolve("runs/recaller.effb")).schema().classes(), "the tour's bundle");
        assertTrue(all.contains("generate charLm"), all);

        // eff generate loads the checkpoint the run wrote, without training
        var gen = new ByteArrayOutputStream();
        code = EffCli.execute(new String[] {"generate", script.toString(), "--prompt", "The", "--tokens", "7", "--temperature", "0"},
                new PrintStream(gen, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        assertFalse(gen.toString(StandardCharsets.UTF_8).contains("train "), "no training: " + gen);
        Files.delete(dir.resolve("runs/charLm.sd"));
        var none = new ByteArrayOutputStream();
        code = EffCli.execute(new String[] {"generate", script.toString()}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(none, true, StandardCharsets.UTF_8));
        assertEquals(EffCli.FAILED, code);
        assertTrue(none.toString(StandardCharsets.UTF_8).contains("no checkpoint at " + dir.resolve("runs/charLm.sd") + " yet"), none.toString());
    }

    @Test
    void theHooksExampleRunsAsPrintedOnlyWithAllowHooks(@TempDir Path dir) throws Exception {
        String hooks = blockAfter(readme(), "**Hooks: custom losses, metrics and callbacks in Groovy.**");
        assertTrue(hooks.contains("hook focal = groovy"), hooks);
        Path script = dir.resolve("hooks.eff");
        Files.writeString(script, hooks);
        var err = new ByteArrayOutputStream();
        int code = EffCli.execute(new String[] {"run", script.toString(), "--steps", "2"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(EffCli.FAILED, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--allow-hooks"), err.toString(StandardCharsets.UTF_8));
        var out = new ByteArrayOutputStream();
        code = EffCli.execute(new String[] {"run", script.toString(), "--steps", "2", "--eval-limit", "64", "--allow-hooks"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, out + "\n" + err);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("confidence"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theReadmeShowsTheLauncherAndEveryRunOption() throws Exception {
        String readme = readme();
        assertFalse(readme.contains("$ eff "), "commands are shown with the launcher, ./eff");
        String runRow = readme.lines().filter(l -> l.startsWith("| `./eff run FILE")).findFirst().orElse("");
        var run = new picocli.CommandLine(new EffCli()).getSubcommands().get("run").getCommandSpec();
        for (var option : run.options()) {
            if (option.usageHelp() || option.versionHelp()) continue;
            assertTrue(runRow.contains(option.longestName()), "the README's row for ./eff run lists " + option.longestName() + ": " + runRow);
        }
    }
}
