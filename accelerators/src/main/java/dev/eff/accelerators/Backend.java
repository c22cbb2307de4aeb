package dev.eff.accelerators;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.api.environment.Nd4jEnvironment;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Picks the libnd4j build for this CPU before ND4J starts. JavaCPP (Loader.findLibrary, javacpp 1.5.7) looks
 * for each native library first under {@code <platform><extension>/} and then under {@code <platform>/}, so
 * the extension set here selects that build's jar when it is on the class path and falls back to the
 * generic jar otherwise. Left unset, JavaCPP instead tries every extension the ND4J preset lists, last first
 * ({@code -avx512} before {@code -avx2} before the generic build) without asking the CPU, and ND4J then exits
 * on a CPU without AVX-512 if the avx512 jar is shipped; so the generic choice is spelled as the empty
 * extension, which matches no extension directory. The property is read once, when JavaCPP first loads its
 * properties: {@link #configure()} must run before the first ND4J call.
 */
public final class Backend {

    /** Environment variable forcing a build: {@code generic}, {@code avx2}, {@code avx512}, {@code onednn-avx512}, ... */
    public static final String ENV = "EFF_NATIVE";
    /** System property with the same meaning; it wins over the environment variable. */
    public static final String PROPERTY = "eff.native";
    static final String JAVACPP_EXTENSION = "org.bytedeco.javacpp.platform.extension";
    public static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";
    static final String PLATFORM = "linux-x86_64";

    /**
     * Builds in order of preference when none is forced; only those whose jar is present and whose
     * instructions the CPU has are candidates. On the reference AVX-512 machine the oneDNN builds run
     * convolutions about twice as fast and nothing slower (accelerators/README.md), so they come first and only
     * the CPU-independent oneDNN jar ships; a user who adds a CPU-specific jar means to use it, hence those
     * come before the CPU-independent builds of their family.
     */
    static final List<NativeBuild> PREFERENCE = List.of(NativeBuild.ONEDNN_AVX512, NativeBuild.ONEDNN_AVX2, NativeBuild.ONEDNN,
            NativeBuild.AVX512, NativeBuild.AVX2, NativeBuild.GENERIC);

    /** The build chosen, why, and a warning for the user when a forced build could not be honoured (else null). */
    public record Choice(NativeBuild build, String reason, String warning) {}

    private static Choice chosen;

    private Backend() {}

    /** Chooses the build and tells JavaCPP; idempotent. Reads the CPU flags but does not start ND4J. */
    public static synchronized Choice configure() {
        if (chosen == null) {
            chosen = choose(platform(), CpuFeatures.detect(), Backend::onClassPath, requested());
            System.setProperty(JAVACPP_EXTENSION, chosen.build().extension());
            if (System.getProperty(MAX_PHYSICAL_BYTES) == null && System.getProperty(MAX_PHYSICAL_BYTES.toLowerCase(Locale.ROOT)) == null) {
                System.setProperty(MAX_PHYSICAL_BYTES, Long.toString(physicalBytesLimit(totalMemory())));
            }
        }
        return chosen;
    }

    /**
     * ND4J frees native buffers only when the garbage collector reclaims their Java objects, and a large, mostly
     * idle heap is collected rarely: a convolutional network grew to 24 GB and was killed within two epochs.
     * JavaCPP runs the collector whenever the process's resident memory would pass {@code maxPhysicalBytes}, so
     * the limit is set to half the machine's memory (at least 4 GiB) unless the user sets it.
     */
    public static long physicalBytesLimit(long machineBytes) {
        return Math.max(4L << 30, machineBytes / 2);
    }

    private static long totalMemory() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : 8L << 30;
    }

    /** The build a user asked for, from -Deff.native, EFF_NATIVE, or a JavaCPP extension set by hand; null for none. */
    private static String requested() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) return p;
        String e = System.getenv(ENV);
        if (e != null && !e.isBlank()) return e;
        return System.getProperty(JAVACPP_EXTENSION);
    }

    static Choice choose(String platform, CpuFeatures cpu, Predicate<NativeBuild> present, String requested) {
        if (!platform.equals(PLATFORM)) return new Choice(NativeBuild.GENERIC, "no optimised builds are published for " + platform, null);
        Choice auto = fastest(cpu, present);
        if (requested == null || requested.isBlank()) return auto;
        NativeBuild want;
        try {
            want = NativeBuild.fromWord(requested);
        } catch (IllegalArgumentException e) {
            return new Choice(auto.build(), auto.reason(), ENV + ": " + e.getMessage() + "; using " + auto.build().word());
        }
        if (!present.test(want)) {
            return new Choice(auto.build(), auto.reason(), "native build " + want.word() + " was requested but nd4j-native-*-"
                    + want.classifier(platform) + ".jar is not on the class path; using " + auto.build().word());
        }
        if (!cpu.hasAll(want.requires())) {
            TreeSet<String> missing = new TreeSet<>(want.requires());
            missing.removeAll(cpu.flags());
            return new Choice(auto.build(), auto.reason(), "native build " + want.word() + " was requested but this CPU lacks "
                    + String.join(", ", missing) + "; using " + auto.build().word());
        }
        return new Choice(want, "requested", null);
    }

    private static Choice fastest(CpuFeatures cpu, Predicate<NativeBuild> present) {
        for (NativeBuild b : PREFERENCE) {
            if (present.test(b) && cpu.hasAll(b.requires())) return new Choice(b, "fastest build present that this CPU supports", null);
        }
        return new Choice(NativeBuild.GENERIC, "no build found on the class path", null);
    }

    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx" : os.startsWith("windows") ? "windows" : os;
        String a = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch;
        return o + "-" + a;
    }

    private static boolean onClassPath(NativeBuild b) {
        return Backend.class.getClassLoader().getResource(b.resource(PLATFORM)) != null;
    }

    /**
     * What runs, for {@code eff version}: the build chosen and the library actually loaded, libnd4j's binary
     * and CPU levels, the BLAS, thread counts, the CPU and the environment variables that steer OpenMP and
     * OpenBLAS. Starts ND4J.
     */
    public static Map<String, String> describe() {
        Choice c = configure();
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        CpuFeatures cpu = CpuFeatures.detect();
        Map<String, String> d = new LinkedHashMap<>();
        d.put("native build", c.build().word() + " (" + c.reason() + ")");
        d.put("native library", Loader.getLoadedLibraries().entrySet().stream()
                .filter(e -> e.getKey().contains("nd4jcpu") && !e.getKey().contains("jni")).map(Map.Entry::getValue).findFirst().orElse("?"));
        d.put("binary level", level(ops.binaryLevel()) + " (CPU supports " + level(ops.optimalLevel()) + ")");
        d.put("BLAS", env.get(Nd4jEnvironment.BLAS_VENDOR_KEY) + ", " + env.get(Nd4jEnvironment.BLAS_THREADS_KEY) + " threads");
        d.put("OpenMP threads", String.valueOf(env.get(Nd4jEnvironment.OMP_THREADS_KEY)));
        d.put("CPU", cpu.model() + ", " + Runtime.getRuntime().availableProcessors() + " cores, "
                + cpu.flags().stream().filter(f -> f.startsWith("avx") || f.equals("fma") || f.startsWith("amx")).collect(Collectors.joining(" ")));
        d.put("environment", List.of("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", ENV).stream()
                .map(k -> k + "=" + (System.getenv(k) == null ? "(unset)" : System.getenv(k))).collect(Collectors.joining(" ")));
        return d;
    }

    /** libnd4j's names for its levels (CpuNDArrayFactory). */
    private static String level(int l) {
        return switch (l) {
            case 3 -> "AVX512";
            case 2 -> "AVX/AVX2";
            case 1 -> "generic x86";
            default -> "level " + l;
        };
    }
}
