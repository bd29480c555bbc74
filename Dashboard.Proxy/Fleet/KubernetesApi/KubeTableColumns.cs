namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>Columns that several resources share, described as the real printers describe them.</summary>
internal static class KubeTableColumns
{
    public static KubeTableColumn Name { get; } = new("Name", "Name must be unique within a namespace.", Format: "name");

    public static KubeTableColumn Age { get; } = new("Age", "Time since the object was created.");

    public static KubeTableColumn Containers { get; } = new("Containers", "Names of each container in the template.", 1);

    public static KubeTableColumn Images { get; } = new("Images", "Images referenced by each container in the template.", 1);

    public static KubeTableColumn Selector { get; } = new("Selector", "Label query over the pods this object selects.", 1);
}
