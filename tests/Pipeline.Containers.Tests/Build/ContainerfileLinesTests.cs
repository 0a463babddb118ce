using Pipeline.Containers.Build;
using Pipeline.Testing;

namespace Pipeline.Containers.Tests.Build;

public class ContainerfileLinesTests
{
    [Fact]
    public void Finds_the_line_of_an_instruction_including_continuations_and_expanded_args()
    {
        using var folder = new TempFolder();
        var file = folder.Write(
            "Containerfile",
            """
            # syntax comment
            ARG VERSION=1
            FROM scratch AS dev

            RUN --mount=type=cache,target=/root/.cache \
                make   test
            COPY app-${VERSION}.tar /app/
            """
        );

        Assert.Equal(3, ContainerfileLines.Find(file, "FROM scratch AS dev"));
        Assert.Equal(5, ContainerfileLines.Find(file, "RUN --mount=type=cache,target=/root/.cache make test"));
        Assert.Equal(7, ContainerfileLines.Find(file, "COPY app-1.tar /app/"));
        Assert.Null(ContainerfileLines.Find(file, "LABEL \"a\"=\"b\""));
    }
}
