package dev.ordo.spring.console;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The admin console at {@code /admin}: static files ({@code static/admin}: HTML, CSS and plain
 * JavaScript, nothing to build) over the admin API. The files hold no data and are served to
 * anyone; everything the console shows comes from admin-only routes with the token given at
 * sign-in.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleConfiguration implements WebMvcConfigurer {

  @Override
  public void addViewControllers(ViewControllerRegistry registry) {
    registry.addRedirectViewController("/admin", "/admin/");
    registry.addViewController("/admin/").setViewName("forward:/admin/index.html");
  }
}
