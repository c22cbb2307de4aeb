package dev.eff.interpreter.repl;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.ast.Stmt;
import dev.eff.dsl.check.Catalog;
import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.check.Checker;
import dev.eff.dsl.check.DataBinding;
import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.diag.Diagnostic;
import dev.eff.dsl.diag.Diagnostics;
import dev.eff.dsl.diag.Severity;
import dev.eff.dsl.parse.ParseResult;
import dev.eff.dsl.resolve.Reporter;
import dev.eff.dsl.resolve.Resolver;
import dev.eff.dsl.source.Source;
import dev.eff.dsl.source.Span;
import dev.eff.interpreter.cli.Progress;
import dev.eff.interpreter.compile.CompileException;
import dev.eff.interpreter.run.OutputCheck;
import dev.eff.interpreter.run.ResultsTable;
import dev.eff.interpreter.run.RunReport;
import dev.eff.interpreter.run.Runner;
import dev.eff.interpreter.train.RunFailure;
import dev.eff.interpreter.train.StopFlag;
import dev.eff.interpreter.train.TrainingInterrupted;
import dev.eff.stdlib.DataException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The state of a REPL session: the entries accepted so far, as one script in the resolver's interactive mode (a
 * later definition replaces an earlier one), and the runner that keeps the weights its statements trained.
 *
 * <p>An entry is accepted only when the whole session, with it, checks: the session always checks, and a bad entry
 * leaves it as it was. Statements of earlier entries stay in the session, not to run again but so that they bind
 * models to data as in a script ({@code generate m} after {@code train m on d}, {@code :summary m}); one that no
 * longer checks after a redefinition is dropped. Only the new entry's statements run. A model instance whose
 * checked graph changed (its model, a constant it uses or its data was redefined) loses its weights, and redefined
 * data is loaded again.
 */
public final class ReplSession {
    /** The last accepted train statement, to train again with {@code :train}. */
    public record LastTrain(String text, Path dir) {}

    private record Entry(Source source, Path dir, List<Stmt> statements) {
        Entry withoutJobs() { return new Entry(source, dir, statements.stream().filter(s -> !isJob(s)).toList()); }

        static boolean isJob(Stmt s) { return s instanceof Stmt.Train || s instanceof Stmt.Evaluate || s instanceof Stmt.RunProgram; }
    }

    private final Catalog catalog;
    private final Runner runner;
    private final StopFlag stop;
    private final PrintStream out;
    private final Supplier<Integer> width;
    private List<Entry> entries = List.of();
    private CheckedProgram program = new CheckedProgram(Map.of(), Map.of(), Map.of(), List.of());
    private LastTrain lastTrain;
    private Names names = new Names(Set.of(), Set.of(), Set.of());

    /** {@code width} gives the terminal's columns for the progress bar (0: plain progress lines). */
    public ReplSession(Catalog catalog, Runner runner, StopFlag stop, PrintStream out, Supplier<Integer> width) {
        this.catalog = catalog;
        this.runner = runner;
        this.stop = stop;
        this.out = out;
        this.width = width;
    }

    /** Everything proven about the session so far (an empty program before the first entry). */
    public CheckedProgram program() { return program; }

    public LastTrain lastTrain() { return lastTrain; }

    /** The names the session defines, by kind: for completion and "did you mean". */
    public record Names(Set<String> constants, Set<String> data, Set<String> models) {}

    public Names names() { return names; }

    /**
     * Checks {@code source} against the session and, when the session still checks, accepts it and runs its
     * statements ({@code steps}, when positive, replaces their steps or epochs); relative paths resolve against
     * {@code dir}. Returns whether the entry was accepted and its statements ran without failing.
     */
    public boolean eval(Source source, Path dir, long steps) {
        ParseResult parsed = Frontend.parse(source);
        if (!parsed.ok()) {
            out.print(parsed.diagnostics().render());
            return false;
        }
        if (parsed.program().statements().isEmpty()) return true;
        List<Entry> trial = new ArrayList<>(entries);
        trial.add(new Entry(source, dir, parsed.program().statements()));
        Attempt attempt = attempt(trial);
        if (!attempt.ok()) {
            // Perhaps only history stands in the way (data redefined under an old train statement): without it, and
            // then with each old statement that still checks.
            List<Entry> fresh = trial.stream().map(e -> e.source() == source ? e : e.withoutJobs()).toList();
            Attempt without = attempt(fresh);
            if (without.ok()) {
                attempt = without;
                for (Stmt job : jobsOf(trial, source)) {
                    Attempt with = attempt(withJob(attempt.session(), trial, job));
                    if (with.ok()) attempt = with;
                }
            } else if (attempt.diagnostics().all().stream().noneMatch(d -> d.severity() == Severity.ERROR && d.span().source() == source)) {
                // Every error lay in history: show what is wrong with the entry itself. Errors in the entry stay shown
                // against the history it was typed against, which binds its models.
                attempt = without;
            }
        }
        Diagnostics shown = new Diagnostics();
        for (Diagnostic d : attempt.diagnostics().all()) {
            if (d.severity() == Severity.ERROR || d.span().source() == source) shown.add(d);
        }
        out.print(shown.render());
        if (!attempt.ok()) return false;
        accept(attempt, source, parsed.program().statements());
        List<Job> jobs = program.jobs().stream().filter(j -> j.span().source() == source).toList();
        if (jobs.isEmpty()) return true;
        return run(new CheckedProgram(program.constants(), program.data(), program.models(), jobs), source, dir, steps);
    }

    /** A check of the session as {@code session} would make it. */
    private record Attempt(List<Entry> session, Resolver.Resolved resolved, CheckedProgram program, Diagnostics diagnostics) {
        boolean ok() { return program != null; }
    }

    private Attempt attempt(List<Entry> session) {
        Diagnostics diagnostics = new Diagnostics();
        Reporter report = new Reporter(diagnostics);
        Resolver.Resolved resolved = resolve(session, report);
        CheckedProgram checked = resolved.importsParsed() && !diagnostics.hasErrors() ? Checker.check(resolved, catalog, report) : null;
        return new Attempt(session, resolved, diagnostics.hasErrors() ? null : checked, diagnostics);
    }

    private Resolver.Resolved resolve(List<Entry> session, Reporter report) {
        List<Resolver.Entry> list = new ArrayList<>();
        for (Entry e : session) list.add(new Resolver.Entry(new dev.eff.dsl.ast.Program(e.source(), e.statements()), e.dir()));
        return Resolver.resolveInteractive(list, Frontend::read, report);
    }

    private static List<Stmt> jobsOf(List<Entry> session, Source current) {
        return session.stream().filter(e -> e.source() != current).flatMap(e -> e.statements().stream()).filter(Entry::isJob).toList();
    }

    /** {@code session} with {@code job} put back where {@code original} had it. */
    private static List<Entry> withJob(List<Entry> session, List<Entry> original, Stmt job) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < session.size(); i++) {
            Entry e = session.get(i);
            List<Stmt> keep = original.get(i).statements().stream().filter(s -> e.statements().contains(s) || s == job).toList();
            out.add(new Entry(e.source(), e.dir(), keep));
        }
        return out;
    }

    /** Makes the attempt the session's state: drops what the runner keeps of changed models and data, and says what the entry defined. */
    private void accept(Attempt attempt, Source source, List<Stmt> statements) {
        CheckedProgram checked = attempt.program();
        Set<String> forgotten = new java.util.TreeSet<>();
        for (Map.Entry<String, ModelGraph> m : program.models().entrySet()) {
            if (!Objects.equals(m.getValue(), checked.models().get(m.getKey())) && runner.forgetModel(m.getKey())) {
                forgotten.add(m.getKey());
            }
        }
        for (Map.Entry<String, DataBinding> d : program.data().entrySet()) {
            if (!Objects.equals(d.getValue(), checked.data().get(d.getKey()))) runner.forgetData(d.getKey());
        }
        Set<String> defined = new java.util.HashSet<>();
        defined.addAll(names.constants());
        defined.addAll(names.data());
        defined.addAll(names.models());
        Resolver.Resolved r = attempt.resolved();
        entries = List.copyOf(attempt.session());
        program = checked;
        names = new Names(Set.copyOf(r.constants().keySet()), Set.copyOf(r.data().keySet()), Set.copyOf(r.models().keySet()));
        Entry last = entries.get(entries.size() - 1);
        for (Stmt s : statements) {
            if (s instanceof Stmt.Let l) {
                String name = l.name().text();
                out.println(name + " = " + checked.constants().get(name).render());
            } else if (s instanceof Stmt.DataDecl d) {
                out.println((defined.contains(d.name().text()) ? "replaced" : "defined") + " data " + d.name().text());
            } else if (s instanceof Stmt.ModelDecl m) {
                out.println((defined.contains(m.name().text()) ? "replaced" : "defined") + " model " + m.name().text());
            } else if (s instanceof Stmt.Train t) {
                lastTrain = new LastTrain(t.span().text(), last.dir());
            }
        }
        for (String key : forgotten) out.println("note: " + key + " starts afresh (it changed, so its trained weights no longer apply)");
    }

    private boolean run(CheckedProgram jobs, Source source, Path dir, long steps) {
        OutputCheck.Result outputs = OutputCheck.check(jobs, dir, null);
        for (Path p : outputs.removedTemporaries()) out.println("note: removed " + p + ", left by an interrupted checkpoint write");
        for (OutputCheck.Problem p : outputs.problems()) out.print(render(p.span(), p.message(), p.hint()));
        if (!outputs.ok()) return false;
        stop.clear();
        int columns = width.get();
        Progress progress = new Progress(out, columns);
        try {
            RunReport r;
            try {
                r = runner.run(jobs, new Runner.Options(Path.of(source.name()), dir, Map.of(), steps, 500, 0), progress);
            } finally {
                progress.endLine();
            }
            out.print(ResultsTable.render(r));
            return true;
        } catch (TrainingInterrupted e) {
            out.println("eff: " + e.getMessage() + (e.span() == null ? "" : " (" + e.span().location() + ")")
                    + "; the model keeps the steps it finished");
            if (e.checkpoint() != null) out.println("eff: checkpoint written to " + e.checkpoint());
            return false;
        } catch (DataException e) {
            out.print(render(e.span(), e.getMessage(), e.hint()));
            return false;
        } catch (RunFailure e) {
            out.print(render(e.span(), e.getMessage(), e.hint()));
            return false;
        } catch (CompileException e) {
            out.print(render(e.span(), e.getMessage(), e.hint()));
            return false;
        } catch (IOException e) {
            out.println("error: cannot write " + e.getMessage());
            out.println("  hint: check that the folder exists and is writable");
            return false;
        } finally {
            stop.clear();
            out.flush();
        }
    }

    private static String render(Span span, String message, String hint) {
        return span != null ? Diagnostic.error(span, message, hint).render()
                : "error: " + message + (hint == null ? "" : "\n  hint: " + hint) + "\n";
    }

    /** Every model instance of the session named {@code model}, as the checker built it, in order. */
    public List<ModelGraph> instances(String model) {
        List<ModelGraph> out = new ArrayList<>();
        for (ModelGraph g : program.models().values()) if (g.name().equals(model)) out.add(g);
        return out;
    }

    /** Every instance of every model, by key. */
    public Map<String, ModelGraph> instances() { return new LinkedHashMap<>(program.models()); }
}
