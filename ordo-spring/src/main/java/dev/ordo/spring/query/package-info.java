/** The read models of a process and the wait behind read-your-writes (Ordo-Min-Position). */
package dev.ordo.spring.query;
