package dev.eff.interpreter.cli;

import dev.eff.dsl.Frontend;
import dev.eff.stdlib.Registry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --set name=value} overrides of top-level constants, shared by every command that reads a script. */
final class ScriptOptions {
    @Option(names = "--set", paramLabel = "NAME=VALUE",
            description = "Replace a top-level 'let' constant, e.g. --set d=128 (repeatable).")
    List<String> sets = List.of();

    /** The overrides, or null after reporting a malformed one. */
    Map<String, String> overrides(PrintWriter err) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0 || eq == s.length() - 1) {
                err.println("eff: --set expects NAME=VALUE, got '" + s + "'");
                return null;
            }
            m.put(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
        }
        return m;
    }

    /** Reports the scripts that do not exist (a usage error: exit 2, not a script error); true if any. */
    static boolean missing(List<Path> files, PrintWriter err) {
        boolean any = false;
        for (Path f : files) {
            if (!java.nio.file.Files.exists(f)) {
                err.println("eff: no such file: " + f);
                any = true;
            }
        }
        err.flush();
        return any;
    }

    /** Checks a script and prints its diagnostics (errors and warnings) to {@code err}. */
    static Frontend.Result check(Path file, Map<String, String> overrides, PrintWriter err) {
        Frontend.Result r = Frontend.check(file, Registry.standard(), overrides);
        err.print(r.diagnostics().render());
        err.flush();
        return r;
    }
}
