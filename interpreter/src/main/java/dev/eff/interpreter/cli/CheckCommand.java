package dev.eff.interpreter.cli;

import dev.eff.dsl.Frontend;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import dev.eff.interpreter.run.DataFilesCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code eff check FILE...}: the front end only (parse, resolve, check shapes); never starts ND4J. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Check scripts for errors without running them (fast: no ND4J).")
final class CheckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The .eff scripts to check.")
    List<Path> files;

    @Mixin ScriptOptions script;

    @Option(names = "--no-data", description = "Do not look at data files (by default check verifies that they exist and name the columns used).")
    boolean noData;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        if (ScriptOptions.missing(files, err)) return EffCli.USAGE;
        Map<String, String> overrides = script.overrides(err);
        if (overrides == null) return EffCli.USAGE;
        boolean ok = true;
        for (Path f : files) {
            Frontend.Result r = ScriptOptions.check(f, overrides, err);
            if (r.ok() && !noData && !dataFilesOk(r, f, err)) r = new Frontend.Result(null, r.diagnostics());
            if (r.ok()) {
                out.println(f + ": ok (" + r.program().models().size() + " model" + (r.program().models().size() == 1 ? "" : "s")
                        + ", " + r.program().jobs().size() + " job" + (r.program().jobs().size() == 1 ? "" : "s") + ")");
            }
            ok &= r.ok();
        }
        out.flush();
        return ok ? EffCli.OK : EffCli.SCRIPT_ERROR;
    }

    /** Reports missing data files and columns at their data statements; true when there are none. */
    private static boolean dataFilesOk(Frontend.Result r, Path file, java.io.PrintWriter err) {
        var problems = DataFilesCheck.verify(r.program(), file.toAbsolutePath().getParent());
        problems.forEach(d -> err.print(d.render()));
        if (!problems.isEmpty()) err.println(problems.size() + (problems.size() == 1 ? " error" : " errors"));
        return problems.isEmpty();
    }
}
