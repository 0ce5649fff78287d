#!/bin/sh
# test-rig's MariaDB test image: initialise the data directory on first start, create the users
# the MYSQL_* / MARIADB_* variables ask for (as the official images do), run mariadbd in front.
set -eu
root_password="${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}"
database="${MARIADB_DATABASE:-${MYSQL_DATABASE:-}}"
user="${MARIADB_USER:-${MYSQL_USER:-}}"
password="${MARIADB_PASSWORD:-${MYSQL_PASSWORD:-}}"
datadir=/var/lib/mysql

mkdir -p /run/mysqld
chown mysql:mysql /run/mysqld
if [ ! -d "$datadir/mysql" ]; then
  mariadb-install-db --user=mysql --datadir="$datadir" --auth-root-authentication-method=normal --skip-test-db >/dev/null
fi

init=/run/mysqld/init.sql
{
  echo "CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '$root_password';"
  echo "ALTER USER 'root'@'%' IDENTIFIED BY '$root_password';"
  echo "GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
  if [ -n "$database" ]; then echo "CREATE DATABASE IF NOT EXISTS \`$database\`;"; fi
  if [ -n "$user" ]; then
    echo "CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$password';"
    echo "GRANT ALL ON \`${database:-%}\`.* TO '$user'@'%';"
  fi
} > "$init"
chown mysql:mysql "$init"

echo "test-rig image: starting mariadbd"
exec mariadbd --user=mysql --datadir="$datadir" --bind-address=0.0.0.0 --port=3306 \
  --skip-name-resolve --skip-log-bin --innodb-flush-log-at-trx-commit=0 --max-connections=2000 \
  --init-file="$init"
