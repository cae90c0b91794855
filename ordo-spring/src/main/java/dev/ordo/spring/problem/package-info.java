/** RFC 9457 problem details from every layer: Spring MVC, the error page, the servlet container's own rejections. */
package dev.ordo.spring.problem;
