package dev.danet.spark;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration (file systems, credentials set as spark.hadoop.*) as plain
 * values, so that executors open output paths exactly as the driver would.
 */
record HadoopSettings(HashMap<String, String> entries) implements Serializable {

    static HadoopSettings of(Configuration conf) {
        HashMap<String, String> entries = new HashMap<>();
        for (Map.Entry<String, String> entry : conf) {
            entries.put(entry.getKey(), entry.getValue());
        }
        return new HadoopSettings(entries);
    }

    Configuration toConfiguration() {
        Configuration conf = new Configuration(false);
        entries.forEach(conf::set);
        return conf;
    }
}
