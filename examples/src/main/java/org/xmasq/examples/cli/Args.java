package org.xmasq.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed command line of one subcommand: {@code --name value} (or {@code --name=value}) options, {@code --flag}
 * switches and positional words. Anything not declared is a {@link UsageException}.
 */
final class Args {
    private final String command;
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args(String command) {
        this.command = command;
    }

    /**
     * Parses {@code args} for {@code command}.
     *
     * @param valued options that take a value (without the leading dashes)
     * @param flags switches (without the leading dashes)
     */
    static Args parse(String command, List<String> args, Set<String> valued, Set<String> flags) {
        Args a = new Args(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--")) {
                String name = arg.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (a.options.containsKey(name)) {
                    throw new UsageException("--" + name + " given twice");
                }
                if (flags.contains(name)) {
                    if (value != null) {
                        throw new UsageException("--" + name + " takes no value");
                    }
                    a.options.put(name, "");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
                            throw new UsageException("--" + name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    if (value.isEmpty()) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    a.options.put(name, value);
                } else {
                    throw new UsageException("unknown option " + arg);
                }
            } else if (arg.startsWith("-") && arg.length() > 1) {
                throw new UsageException("unknown option " + arg);
            } else {
                a.positional.add(arg);
            }
        }
        return a;
    }

    String command() {
        return command;
    }

    boolean has(String name) {
        return options.containsKey(name);
    }

    String get(String name, String otherwise) {
        return options.getOrDefault(name, otherwise);
    }

    String required(String name) {
        String v = options.get(name);
        if (v == null) {
            throw new UsageException("missing --" + name);
        }
        return v;
    }

    /** An integer option in [min, max], or {@code otherwise} when absent. */
    int intOption(String name, int otherwise, int min, int max) {
        String v = options.get(name);
        if (v == null) {
            return otherwise;
        }
        int n;
        try {
            n = v.startsWith("0x") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " wants a number, not '" + v + "'");
        }
        if (n < min || n > max) {
            throw new UsageException("--" + name + " is " + min + ".." + max + ", not " + n);
        }
        return n;
    }

    /** The single optional positional word, one of {@code allowed}, or {@code otherwise}. */
    String word(List<String> allowed, String otherwise) {
        if (positional.size() > 1) {
            throw new UsageException("unexpected argument '" + positional.get(1) + "'");
        }
        if (positional.isEmpty()) {
            return otherwise;
        }
        String w = positional.get(0);
        if (!allowed.contains(w)) {
            throw new UsageException("unknown argument '" + w + "' (one of " + String.join(", ", allowed) + ")");
        }
        return w;
    }

    void noPositional() {
        if (!positional.isEmpty()) {
            throw new UsageException("unexpected argument '" + positional.get(0) + "'");
        }
    }
}
