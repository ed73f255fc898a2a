/**
 * Packages that handle requests, or that only server code uses: a dependency on one, or an import of one,
 * marks server code (issue 18, item 7: shared state matters where one process serves many users).
 */
export const SERVER_MODULES: ReadonlySet<string> = new Set([
  'express', 'fastify', 'koa', '@koa/router', 'koa-router', '@nestjs/core', '@nestjs/common', '@nestjs/platform-express', '@nestjs/platform-fastify',
  '@hapi/hapi', 'hapi', 'restify', 'hono', '@hono/node-server', '@apollo/server', 'apollo-server', 'apollo-server-express', 'graphql-yoga',
  '@trpc/server', 'socket.io', 'ws', 'h3', 'elysia', '@remix-run/node', 'polka', 'micro', 'connect', '@adonisjs/core', '@feathersjs/feathers',
  '@loopback/core', 'moleculer', 'http', 'https', 'http2', 'net',
  // Clients no browser bundle holds: a package using them runs on a server, as a service or a worker.
  'kafkajs', 'amqplib', '@grpc/grpc-js', 'pg', 'mysql2', 'mongodb', 'mongoose', 'ioredis', 'redis', 'typeorm', '@prisma/client', '@mikro-orm/core', 'bullmq', 'bull',
]);

/** The package a bare specifier names (`@scope/name/sub` -> `@scope/name`, `node:http` -> `http`); undefined for paths. */
export function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#')) return undefined;
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  const parts = bare.split('/');
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
