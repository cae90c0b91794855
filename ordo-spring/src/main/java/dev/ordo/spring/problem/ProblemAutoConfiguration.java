package dev.ordo.spring.problem;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Problem details from every layer: Spring MVC's handlers ({@link ProblemHandlers}), the servlet
 * error page ({@link ProblemErrorController}, before Boot's BasicErrorController would be made)
 * and Tomcat itself ({@link ProblemReportValve}); and text parameters without control characters.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Import({ProblemHandlers.class, ProblemErrorController.class})
public class ProblemAutoConfiguration implements WebMvcConfigurer {

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    registry.addInterceptor(new ControlCharacters());
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(TomcatServletWebServerFactory.class)
  static class TomcatProblems {

    /** Ordered last, so it replaces the ErrorReportValve Boot's own customizer adds to the host. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReportValve() {
      return new WebServerFactoryCustomizer<>() {
        @Override
        public void customize(TomcatServletWebServerFactory factory) {
          factory.addContextCustomizers(context -> {
            Container host = context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
              if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
              }
            }
            host.getPipeline().addValve(new ProblemReportValve());
            if (host instanceof StandardHost standard) {
              standard.setErrorReportValveClass(ProblemReportValve.class.getName());
            }
          });
        }
      };
    }
  }
}
