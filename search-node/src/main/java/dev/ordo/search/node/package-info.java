/** An OpenSearch node with analysis-nori for tests: started in a child JVM from the classpath the build wrote. */
package dev.ordo.search.node;
