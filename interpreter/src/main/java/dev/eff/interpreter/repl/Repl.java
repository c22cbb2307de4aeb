package dev.eff.interpreter.repl;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.check.ModelGraph;
import dev.eff.dsl.check.Node;
import dev.eff.dsl.diag.Spelling;
import dev.eff.dsl.source.Source;
import dev.eff.interpreter.compile.ModelCompiler;
import dev.eff.interpreter.run.Eff;
import dev.eff.interpreter.run.MachineMemory;
import dev.eff.interpreter.run.MemoryEstimate;
import dev.eff.interpreter.run.ModelSummary;
import dev.eff.interpreter.run.Runner;
import dev.eff.interpreter.run.Table;
import dev.eff.interpreter.train.StopFlag;
import dev.eff.stdlib.Registry;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * {@code eff repl}: an interactive session on a JLine terminal. What is typed is a script's statements, evaluated
 * as they come against the session (see {@link ReplSession}); an unclosed bracket continues on the next line. Lines
 * starting with {@code :} are commands. Ctrl-C clears the line being typed, and during a run stops it after the
 * current step without leaving the REPL; Ctrl-D or {@code :quit} leaves.
 */
public final class Repl {
    static final String PROMPT = "eff> ";
    static final String HELP = """
            Type statements as in a script: let, data, model, train, evaluate, predict, generate.
            A redefinition replaces the earlier one; an unclosed bracket continues on the next line; Tab completes.
              :help               this text
              :load FILE          evaluate a script's statements (its paths are relative to its folder)
              :summary [MODEL]    layers, output shapes, parameters, FLOPs and memory of a model's instances
              :shape [MODEL]      the shape of every value of a model's instances
              :train [N]          run the last train statement again, continuing its model (for N steps)
              :train STATEMENT    the same as 'train STATEMENT'
              :doc NAME           a component's parameters: :doc attention, :doc attention(performer)
              :quit               leave (or Ctrl-D)
            Ctrl-C clears the line; during training it stops after the current step, keeping the steps done.
            """;

    private final Terminal terminal;
    private final LineReader reader;
    private final PrintStream out;
    private final StopFlag stop = new StopFlag();
    private final ReplSession session;
    private final Registry registry = Registry.standard();
    private final Path dir;
    private int entries;

    /** A REPL on {@code terminal}, keeping its history in {@code history} (null: none); relative paths resolve against {@code dir}. */
    public Repl(Terminal terminal, Path history, Path dir) {
        this.terminal = terminal;
        this.dir = dir;
        this.out = new PrintStream(terminal.output(), true, StandardCharsets.UTF_8);
        boolean dumb = terminal.getType().startsWith(Terminal.TYPE_DUMB);
        session = new ReplSession(registry, new Runner(registry, ModelCompiler.standard(), stop), stop, out,
                () -> dumb ? 0 : Math.max(terminal.getWidth(), 0));
        LineReaderBuilder builder = LineReaderBuilder.builder().terminal(terminal).appName("eff")
                .parser(new EffLineParser())
                .completer(new EffCompleter(registry, session::names, () -> session.program().data(), dir))
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%P...> ")
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.INSERT_TAB, false);
        if (history != null) builder.variable(LineReader.HISTORY_FILE, history);
        reader = builder.build();
    }

    /** Reads and evaluates entries until {@code :quit} or the end of input; returns the exit code (0). */
    public int run() {
        out.println("Eff " + Eff.VERSION + " (:help for help, :quit to leave)");
        while (true) {
            String text;
            try {
                text = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                out.println();
                return 0;
            }
            if (!handle(text)) return 0;
        }
    }

    /** Evaluates one entry or command; false when it asks to quit. */
    public boolean handle(String text) {
        String t = text.strip();
        if (t.isEmpty()) return true;
        if (!t.startsWith(":")) {
            eval(new Source(nextName(), text), dir, 0);
            return true;
        }
        int space = t.indexOf(' ');
        String command = space < 0 ? t : t.substring(0, space), arg = space < 0 ? "" : t.substring(space + 1).strip();
        switch (command) {
            case ":quit" -> { return false; }
            case ":help" -> out.print(HELP);
            case ":load" -> load(arg);
            case ":summary" -> summary(arg);
            case ":shape" -> shape(arg);
            case ":train" -> train(arg);
            case ":doc" -> out.print(arg.isEmpty() ? "usage: :doc NAME, e.g. :doc dense\n" : ComponentDoc.render(registry, arg));
            default -> out.println("error: unknown command '" + command + "'" + Spelling.didYouMean(command, EffCompleter.COMMANDS)
                    + "\n  hint: :help lists the commands");
        }
        out.flush();
        return true;
    }

    private String nextName() { return "[" + ++entries + "]"; }

    /** Evaluates an entry with Ctrl-C asking a run to stop after its current step, as in {@code eff run}. */
    private void eval(Source source, Path base, long steps) {
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> {
            boolean again = stop.requested();
            stop.request();
            out.println();
            out.println(again ? "eff: still finishing the current step" : "eff: stopping after the current step");
        });
        try {
            session.eval(source, base, steps);
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
            out.flush();
        }
    }

    private void load(String file) {
        if (file.isEmpty()) {
            out.println("usage: :load FILE");
            return;
        }
        Path path = dir.resolve(file);
        Source text;
        try {
            text = Frontend.read(path);
        } catch (IOException | RuntimeException e) {
            out.println("error: cannot read '" + file + "': " + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
            return;
        }
        eval(new Source(file, text.text()), path.toAbsolutePath().getParent(), 0);
    }

    /** {@code :train}, {@code :train N}: the last train statement again; {@code :train REST}: {@code train REST}. */
    private void train(String arg) {
        if (!arg.isEmpty() && !arg.matches("[0-9_]+")) {
            eval(new Source(nextName(), "train " + arg), dir, 0);
            return;
        }
        ReplSession.LastTrain last = session.lastTrain();
        if (last == null) {
            out.println("error: no train statement yet\n  hint: :train MODEL on DATA { steps = 100 }, or a train statement");
            return;
        }
        long steps;
        try {
            steps = arg.isEmpty() ? 0 : Long.parseLong(arg.replace("_", ""));
        } catch (NumberFormatException e) {
            steps = -1;
        }
        if (!arg.isEmpty() && (steps < 1 || steps > dev.eff.dsl.check.TrainJob.MAX_STEPS)) {
            out.println("error: :train N needs N between 1 and " + dev.eff.dsl.check.TrainJob.MAX_STEPS);
            return;
        }
        out.println(last.text());
        eval(new Source(nextName(), last.text()), last.dir(), steps);
    }

    private void summary(String model) {
        MachineMemory machine = MachineMemory.expectedForRuns();
        for (ModelGraph g : instances(model)) {
            out.println(ModelSummary.render(g) + MemoryEstimate.forSummary(session.program(), g).describe(machine) + "\n");
        }
    }

    private void shape(String model) {
        for (ModelGraph g : instances(model)) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"value", "component", "shape"});
            for (ModelGraph.Input in : g.inputs()) rows.add(new String[] {in.name(), "input", in.shape().describe()});
            for (Node n : g.nodes()) {
                if (n instanceof Node.Apply a) rows.add(new String[] {a.path(), a.spec().signature().title(), a.outputShape().describe()});
                else if (n instanceof Node.Residual r) rows.add(new String[] {r.path(), "residual add", r.outputShape().describe()});
            }
            out.print("model " + g.instance() + ": " + String.join(", ", g.inputs().stream().map(i -> i.shape().describe()).toList())
                    + " → " + g.outputShape().describe() + "\n" + Table.render(rows, 3) + "\n");
        }
    }

    /** The instances of {@code model} (every model's when blank), after saying why there are none. */
    private List<ModelGraph> instances(String model) {
        List<ModelGraph> found = model.isEmpty() ? List.copyOf(session.instances().values()) : session.instances(model);
        if (!found.isEmpty()) return found;
        var models = session.names().models();
        if (model.isEmpty()) {
            out.println(models.isEmpty() ? "no models yet" : "no model has shapes yet: train or evaluate one on data first (or declare its inputs)");
        } else if (!models.contains(model)) {
            out.println("error: no model '" + model + "'" + Spelling.didYouMean(model, models)
                    + (models.isEmpty() ? "" : "\n  hint: models: " + Spelling.list(models)));
        } else {
            out.println("model " + model + " has no shapes yet: train or evaluate it on data first (or declare its inputs)");
        }
        return List.of();
    }
}
