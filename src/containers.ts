/**
 * test-rig/containers: Testcontainers modules for the servers the rig knows (loaded apart from
 * `test-rig`, since Testcontainers and its dependencies take hundreds of milliseconds to import).
 */
export { TiDBContainer, StartedTiDBContainer, DEFAULT_TIDB_IMAGE, TIDB_SQL_PORT, TIDB_STATUS_PORT } from './server/container/tidb-container.ts'
export { DEFAULT_MYSQL_IMAGE, DEFAULT_MARIADB_IMAGE } from './server/container/mysql-container.ts'
export { ContainerServer, StartedContainerServer, defaultImage, type ContainerServerOptions, type ContainerFlavor } from './server/container/container-server.ts'
