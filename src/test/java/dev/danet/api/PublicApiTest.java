package dev.danet.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.danet.DanetException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public API is dev.danet.api and dev.danet.djl (with DanetException): what their public
 * classes show uses no internal type, so the internals can change behind them, and their Javadoc
 * is complete (doclint, all groups: a comment, @param and @return on every public element).
 */
class PublicApiTest {

    private static final List<String> PUBLIC_PACKAGES = List.of("dev.danet.api", "dev.danet.djl");
    private static final Path SOURCES = Path.of("src/main/java");

    @TempDir
    Path dir;

    private static List<Class<?>> publicClasses() throws Exception {
        Path classes = Path.of(Segmenter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> found = new ArrayList<>();
        for (String pkg : PUBLIC_PACKAGES) {
            try (Stream<Path> files = Files.list(classes.resolve(pkg.replace('.', '/')))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".class") && !f.toString().endsWith("package-info.class")).sorted().toList()) {
                    String binaryName = pkg + "." + file.getFileName().toString().replace(".class", "");
                    Class<?> type = Class.forName(binaryName, false, PublicApiTest.class.getClassLoader());
                    if (isVisible(type)) {
                        found.add(type);
                    }
                }
            }
        }
        return found;
    }

    private static boolean isVisible(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getDeclaringClass()) {
            if (!Modifier.isPublic(c.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    /** Whether a type may appear in the public API: the JDK's, DJL's, or the public packages' own. */
    private static boolean allowed(Class<?> type) {
        while (type.isArray()) {
            type = type.getComponentType();
        }
        if (type.isPrimitive() || type == DanetException.class) {
            return true;
        }
        String name = type.getName();
        return name.startsWith("java.") || name.startsWith("ai.djl.")
                || PUBLIC_PACKAGES.contains(type.getPackageName());
    }

    private static void collect(Type type, Set<String> leaks, String where) {
        if (type instanceof Class<?> c) {
            if (!allowed(c)) {
                leaks.add(where + ": " + c.getName());
            }
        } else if (type instanceof ParameterizedType p) {
            collect(p.getRawType(), leaks, where);
            for (Type argument : p.getActualTypeArguments()) {
                collect(argument, leaks, where);
            }
        } else if (type instanceof WildcardType w) {
            Stream.concat(Stream.of(w.getUpperBounds()), Stream.of(w.getLowerBounds()))
                    .forEach(bound -> collect(bound, leaks, where));
        }
    }

    @Test
    void thePublicClassesShowNoInternalType() throws Exception {
        List<Class<?>> classes = publicClasses();
        assertTrue(classes.contains(Segmenter.class) && classes.contains(dev.danet.djl.DanetModels.class), "" + classes);
        Set<String> leaks = new TreeSet<>();
        for (Class<?> type : classes) {
            collect(type.getGenericSuperclass(), leaks, type.getName() + " extends");
            for (Type i : type.getGenericInterfaces()) {
                collect(i, leaks, type.getName() + " implements");
            }
            List<Executable> members = new ArrayList<>(List.of(type.getDeclaredConstructors()));
            members.addAll(List.of(type.getDeclaredMethods()));
            for (Executable member : members) {
                if (!Modifier.isPublic(member.getModifiers()) && !Modifier.isProtected(member.getModifiers())) {
                    continue;
                }
                String where = type.getName() + "." + member.getName();
                if (member instanceof Method m) {
                    collect(m.getGenericReturnType(), leaks, where);
                }
                for (Type t : member.getGenericParameterTypes()) {
                    collect(t, leaks, where);
                }
                for (Type t : member.getGenericExceptionTypes()) {
                    collect(t, leaks, where);
                }
            }
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isPublic(field.getModifiers()) || Modifier.isProtected(field.getModifiers())) {
                    collect(field.getGenericType(), leaks, type.getName() + "." + field.getName());
                }
            }
        }
        assertEquals(Set.of(), leaks, "internal types in the public API");
    }

    @Test
    void theJavadocOfThePublicApiIsComplete() {
        List<String> args = new ArrayList<>(List.of("-quiet", "-Xdoclint:all", "-d", dir.toString(),
                "-sourcepath", SOURCES.toString(), "-classpath", System.getProperty("java.class.path")));
        args.addAll(PUBLIC_PACKAGES);
        args.add(SOURCES.resolve("dev/danet/DanetException.java").toString());
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemDocumentationTool().run(null, messages, messages, args.toArray(String[]::new));
        String report = messages.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, report);
        assertFalse(report.contains("warning:") || report.contains("error:"), report);
    }
}
