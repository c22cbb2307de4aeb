package dev.eff.interpreter.run;

import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.check.DataBinding;
import dev.eff.dsl.diag.Diagnostic;
import dev.eff.stdlib.DataException;
import dev.eff.stdlib.DataSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code eff check} verifies about a script's data without loading it: each source's files exist and are
 * regular files, and tables name the columns the script uses (headers only). Each problem is a diagnostic at the
 * {@code data} statement.
 */
public final class DataFilesCheck {
    private DataFilesCheck() {}

    /** The problems found, in declaration order; relative paths resolve against {@code baseDir}. */
    public static List<Diagnostic> verify(CheckedProgram program, Path baseDir) {
        List<DataBinding> bindings = new ArrayList<>(program.data().values());
        bindings.sort((a, b) -> Integer.compare(a.span().start(), b.span().start()));
        List<Diagnostic> out = new ArrayList<>();
        for (DataBinding b : bindings) {
            if (!(b.spec() instanceof DataSource source)) continue;
            try {
                source.verify(b.args(), baseDir);
            } catch (DataException e) {
                out.add(Diagnostic.error(b.span(), e.getMessage(), e.hint()));
            }
        }
        return out;
    }
}
