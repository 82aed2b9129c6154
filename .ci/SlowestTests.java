import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The last run's slowest test classes and methods, from every module's Surefire and Failsafe reports
 * ({@code <module>/target/{surefire,failsafe}-reports/TEST-*.xml}), with the tests run per module and in all.
 * Run it as {@code .ci/slowest-tests [how many, 15 by default]} from anywhere in the repository.
 */
public class SlowestTests {
    record Suite(String module, String tier, String name, double seconds, int tests, int skipped, int failed) {
    }

    record Method(String suite, String name, double seconds) {
    }

    public static void main(String[] args) throws Exception {
        int top = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Path root = Path.of(args.length > 1 ? args[1] : ".").toAbsolutePath().normalize();
        List<Suite> suites = new ArrayList<>();
        List<Method> methods = new ArrayList<>();
        for (Path report : reports(root)) {
            Element suite = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(report.toFile()).getDocumentElement();
            String name = suite.getAttribute("name");
            Path reports = report.getParent();
            String module = root.relativize(reports.getParent().getParent()).toString();
            String tier = reports.getFileName().toString().startsWith("failsafe") ? "it" : "unit";
            suites.add(new Suite(module, tier, name, seconds(suite.getAttribute("time")), integer(suite.getAttribute("tests")),
                    integer(suite.getAttribute("skipped")),
                    integer(suite.getAttribute("failures")) + integer(suite.getAttribute("errors"))));
            NodeList cases = suite.getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element c = (Element) cases.item(i);
                methods.add(new Method(simple(c.getAttribute("classname")), c.getAttribute("name"), seconds(c.getAttribute("time"))));
            }
        }
        if (suites.isEmpty()) {
            System.out.println("No test reports under " + root + "/*/target/{surefire,failsafe}-reports: run mvn -B verify first");
            return;
        }

        System.out.printf("The %d slowest test classes:%n", top);
        suites.stream().sorted(Comparator.comparingDouble(Suite::seconds).reversed()).limit(top).forEach(s ->
                System.out.printf("%8.1f s  %-4s %-22s %s (%d tests)%n", s.seconds(), s.tier(), s.module(), simple(s.name()), s.tests()));
        System.out.printf("%nThe %d slowest test methods:%n", top);
        methods.stream().sorted(Comparator.comparingDouble(Method::seconds).reversed()).limit(top).forEach(m ->
                System.out.printf("%8.1f s  %s.%s%n", m.seconds(), m.suite(), m.name()));

        System.out.printf("%nPer module (seconds in test classes; tests run = run and not skipped):%n");
        Map<String, double[]> byModule = new TreeMap<>();
        for (Suite s : suites) {
            double[] figures = byModule.computeIfAbsent(s.module(), m -> new double[5]);
            figures[s.tier().equals("unit") ? 0 : 1] += s.seconds();
            figures[2] += s.tests() - s.skipped();
            figures[3] += s.skipped();
            figures[4] += s.failed();
        }
        byModule.forEach((module, f) -> System.out.printf("  %-22s unit %7.1f s  it %7.1f s  %4d run  %3d skipped%s%n", module,
                f[0], f[1], (int) f[2], (int) f[3], f[4] > 0 ? "  " + (int) f[4] + " FAILED" : ""));
        int tests = suites.stream().mapToInt(Suite::tests).sum();
        int skipped = suites.stream().mapToInt(Suite::skipped).sum();
        int failed = suites.stream().mapToInt(Suite::failed).sum();
        System.out.printf("%nIn all: %d tests, %d run, %d skipped, %d failed or in error; %.0f s in unit classes, %.0f s in integration classes%n",
                tests, tests - skipped, skipped, failed,
                suites.stream().filter(s -> s.tier().equals("unit")).mapToDouble(Suite::seconds).sum(),
                suites.stream().filter(s -> s.tier().equals("it")).mapToDouble(Suite::seconds).sum());
    }

    private static List<Path> reports(Path root) throws IOException {
        List<Path> reports = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                for (String tier : List.of("surefire-reports", "failsafe-reports")) {
                    Path dir = module.resolve("target").resolve(tier);
                    if (Files.isDirectory(dir)) {
                        try (Stream<Path> files = Files.list(dir)) {
                            files.filter(f -> f.getFileName().toString().matches("TEST-.*\\.xml")).sorted().forEach(reports::add);
                        }
                    }
                }
            }
        }
        return reports;
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static double seconds(String value) {
        return value == null || value.isEmpty() ? 0 : Double.parseDouble(value.replace(",", ""));
    }

    private static int integer(String value) {
        return value == null || value.isEmpty() ? 0 : Integer.parseInt(value);
    }
}
