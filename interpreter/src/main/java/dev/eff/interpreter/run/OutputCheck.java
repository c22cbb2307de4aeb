package dev.eff.interpreter.run;

import dev.eff.dsl.check.CheckedProgram;
import dev.eff.dsl.check.Job;
import dev.eff.dsl.check.ProgramJob;
import dev.eff.interpreter.programs.Program;
import dev.eff.dsl.check.TrainJob;
import dev.eff.dsl.source.Span;
import dev.eff.interpreter.train.CheckpointFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks every file a run will write before it starts, so an unwritable path or a file that must not be
 * replaced is found before hours of training rather than after: a checkpoint may only replace an earlier
 * checkpoint (never the script, a data file or anything else), a report only an earlier JSON report, and
 * each folder must exist or be creatable and accept a new file. Also clears the temporary files an interrupted
 * checkpoint write left behind.
 */
public final class OutputCheck {
    private OutputCheck() {}

    private static final String UNWRITABLE = "check that the folder exists and is writable, or choose another path";

    /** {@code span} locates the statement that asked for the file, or is null for a command-line option. */
    public record Problem(Span span, String message, String hint) {}

    public record Result(List<Problem> problems, List<Path> removedTemporaries) {
        public boolean ok() { return problems.isEmpty(); }
    }

    /** Where a train statement's checkpoint goes, or null when it asks for none. */
    public static Path checkpointPath(TrainJob job, Path baseDir) {
        return job.checkpoint() == null || job.checkpoint().isEmpty() ? null : baseDir.resolve(job.checkpoint());
    }

    /** Checks the checkpoints of {@code program} (relative to {@code baseDir}) and the report file (may be null). */
    public static Result check(CheckedProgram program, Path baseDir, Path report) {
        Map<String, Path> files = new LinkedHashMap<>();
        if (report != null) files.put("--report", report);
        return checkNamed(program, baseDir, files);
    }

    /**
     * Checks the checkpoints and program outputs of {@code program} (relative to {@code baseDir}) and the JSON files
     * that command-line options name ({@code --report}, {@code --profile}: option name to path).
     */
    public static Result checkNamed(CheckedProgram program, Path baseDir, Map<String, Path> jsonFiles) {
        List<Problem> problems = new ArrayList<>();
        List<Path> removed = new ArrayList<>();
        Map<Path, Span> checkpoints = new LinkedHashMap<>();
        for (Job job : program.jobs()) {
            if (job instanceof TrainJob t && checkpointPath(t, baseDir) != null) {
                checkpoints.putIfAbsent(checkpointPath(t, baseDir).toAbsolutePath().normalize(), t.span());
            }
        }
        checkpoints.forEach((path, span) -> {
            try {
                removed.addAll(CheckpointFiles.removeStaleTemporaries(path));
            } catch (IOException e) {
                // Not fatal: a folder that cannot be listed is reported by the write check below.
            }
            String problem = writable(path);
            if (problem != null) {
                problems.add(new Problem(span, problem, UNWRITABLE));
            } else if (nonEmptyFile(path) && !CheckpointFiles.isCheckpoint(path)) {
                problems.add(new Problem(span, "refusing to overwrite " + path + ": it is not an Eff checkpoint",
                        "the checkpoint setting names an existing file; choose a new path such as \"runs/" + stem(path) + ".sd\""));
            }
        });
        Map<Path, Span> outputs = new LinkedHashMap<>();
        for (Job job : program.jobs()) {
            if (!(job instanceof ProgramJob p) || !(p.program().spec() instanceof Program spec)) continue;
            for (String setting : spec.outputSettings()) {
                Path path = baseDir.resolve(p.settings().str(setting)).toAbsolutePath().normalize();
                if (outputs.putIfAbsent(path, p.span()) != null) continue;
                String problem = writable(path);
                if (problem != null) {
                    problems.add(new Problem(p.span(), problem, UNWRITABLE));
                } else if (checkpoints.containsKey(path)) {
                    problems.add(new Problem(p.span(), "refusing to overwrite " + path + ": it is the script's checkpoint", "choose another file"));
                } else if (nonEmptyFile(path) && spec.refuseToReplace(path) != null) {
                    problems.add(new Problem(p.span(), "refusing to overwrite " + path + ": " + spec.refuseToReplace(path),
                            "choose a new file for " + setting + ", or move the existing one away"));
                }
            }
        }
        Map<Path, String> seen = new LinkedHashMap<>();
        jsonFiles.forEach((option, file) -> {
            Path r = file.toAbsolutePath().normalize();
            String problem = writable(r);
            String what = option.replaceFirst("^--", "");
            if (problem != null) {
                problems.add(new Problem(null, option + ": " + problem, UNWRITABLE));
            } else if (seen.containsKey(r)) {
                problems.add(new Problem(null, option + " and " + seen.get(r) + " name the same file " + r, "give each its own file"));
            } else if (checkpoints.containsKey(r) || outputs.containsKey(r) || nonEmptyFile(r) && !looksLikeJson(r)) {
                problems.add(new Problem(null, "refusing to overwrite " + r + " with the " + what + ": it is "
                        + (checkpoints.containsKey(r) ? "the script's checkpoint" : "not a JSON " + what),
                        "give " + option + " a new file, e.g. " + option + " " + what + ".json"));
            }
            seen.putIfAbsent(r, option);
        });
        return new Result(problems, removed);
    }

    /**
     * Null when {@code file} may be written: its folder is writable and it is absent, empty or an earlier output
     * ({@code earlier} says which); else what is wrong, for the command-line option that names it.
     */
    public static String replaceable(Path file, String option, java.util.function.Predicate<Path> earlier) {
        Path f = file.toAbsolutePath().normalize();
        String problem = writable(f);
        if (problem != null) return option + ": " + problem;
        if (nonEmptyFile(f) && !earlier.test(f)) return "refusing to overwrite " + f + " (" + option + "): it was not written by eff";
        return null;
    }

    /** Null when a file can be created or replaced at {@code file}, else what is wrong. */
    static String writable(Path file) {
        Path dir = file.getParent();
        if (dir == null || file.getFileName() == null) return file + " names no file";
        if (Files.isDirectory(file)) return file + " is a folder, not a file";
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing != null && !Files.isDirectory(existing)) return "cannot create the folder " + dir + ": " + existing + " is a file";
        try {
            Files.createDirectories(dir);
            Files.delete(Files.createTempFile(dir, file.getFileName() + ".", ".ckpt.tmp"));
            return null;
        } catch (IOException | SecurityException e) {
            return "cannot write in " + dir + ": " + reason(e);
        }
    }

    private static boolean nonEmptyFile(Path p) {
        try {
            return Files.isRegularFile(p) && Files.size(p) > 0;
        } catch (IOException e) {
            return true;
        }
    }

    private static boolean looksLikeJson(Path p) {
        try (var in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(64);
            return new String(head, StandardCharsets.UTF_8).strip().startsWith("{");
        } catch (IOException e) {
            return false;
        }
    }

    private static String stem(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static String reason(Exception e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "no such folder";
        if (e instanceof java.nio.file.FileSystemException fs && fs.getReason() != null) return fs.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
