using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrderPromises : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "promised_delivery_date",
                table: "orders",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "ship_by",
                table: "orders",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "promised_delivery_date",
                table: "orders");

            migrationBuilder.DropColumn(
                name: "ship_by",
                table: "orders");
        }
    }
}
