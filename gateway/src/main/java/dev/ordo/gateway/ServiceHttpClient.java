package dev.ordo.gateway;

import java.net.http.HttpClient;
import org.springframework.boot.http.client.JdkClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.autoconfigure.ClientHttpRequestFactoryBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HTTP client the gateway calls the services with (the JDK's, {@code spring.http.clients.*}
 * sets its timeouts) made a faithful proxy: Spring's default would ask for gzip and inflate the
 * answer, handing the client a body and headers the service did not send; and it speaks HTTP/1.1,
 * as the services do, rather than asking each of them to upgrade.
 */
@Configuration(proxyBeanMethods = false)
class ServiceHttpClient {

  @Bean
  ClientHttpRequestFactoryBuilderCustomizer<JdkClientHttpRequestFactoryBuilder> asSentHttpClient() {
    return builder -> builder
        .withHttpClientCustomizer(client -> client.version(HttpClient.Version.HTTP_1_1))
        .withCustomizer(factory -> factory.enableCompression(false));
  }
}
