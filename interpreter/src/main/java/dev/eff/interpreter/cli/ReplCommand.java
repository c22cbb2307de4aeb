package dev.eff.interpreter.cli;

import dev.eff.accelerators.Backend;
import dev.eff.interpreter.repl.Repl;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eff repl [FILE]}: an interactive session, its history kept in {@code ~/.eff_history}. */
@Command(name = "repl", mixinStandardHelpOptions = true,
        description = "An interactive session: type statements, train and inspect models; :help lists the commands.")
final class ReplCommand implements Callable<Integer> {
    /** JLine reports through java.util.logging; Eff's output is its own. Held so the setting is not collected. */
    private static final Logger JLINE = Logger.getLogger("org.jline");

    @Spec CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "A script to load first, as :load FILE does.")
    Path file;

    @Override
    public Integer call() throws Exception {
        var err = spec.commandLine().getErr();
        if (file != null && ScriptOptions.missing(java.util.List.of(file), err)) return EffCli.USAGE;
        JLINE.setLevel(Level.OFF);
        Backend.Choice backend = Backend.configure();
        if (backend.warning() != null) err.println("warning: " + backend.warning());
        err.flush();
        try (Terminal terminal = TerminalBuilder.builder().system(true).dumb(true).build()) {
            Repl repl = new Repl(terminal, Path.of(System.getProperty("user.home"), ".eff_history"), Path.of("").toAbsolutePath());
            if (file != null) repl.handle(":load " + file);
            return repl.run();
        }
    }
}
