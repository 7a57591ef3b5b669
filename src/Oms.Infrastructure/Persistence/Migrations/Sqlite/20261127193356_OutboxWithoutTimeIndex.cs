using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <summary>
    /// Events lose their index on time: retention removes the oldest by number (the primary key), so a checkout writes
    /// seven index entries fewer. Only an index goes (the snapshot says the rest), so this migration carries no target model.
    /// </summary>
    [DbContext(typeof(SqliteOmsDbContext))]
    [Migration("20261127193356_OutboxWithoutTimeIndex")]
    public partial class OutboxWithoutTimeIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_messages_occurred_at",
                table: "outbox_messages");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_occurred_at",
                table: "outbox_messages",
                column: "occurred_at");
        }
    }
}
