package io.streamingetl.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/** The benchmark's figures in the order measured: each said as it comes, all of them as one table at the end. */
final class BenchmarkResults {
    private final Map<String, String> results = new LinkedHashMap<>();

    void add(String what, String figure) {
        results.put(what, figure);
        PipelineDemo.say(what + ": " + figure);
    }

    void printTable() {
        System.out.println();
        System.out.println("| measure | figure |");
        System.out.println("|---|---|");
        results.forEach((what, figure) -> System.out.println("| " + what + " | " + figure + " |"));
    }
}
